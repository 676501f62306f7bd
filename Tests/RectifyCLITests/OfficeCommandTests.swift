import Foundation
import RectifyDomain
import RectifyLedger
import RectifyTesting
import Testing

@Suite("rectify office", .processes)
struct OfficeCommandTests {
    @Test("add prints the token once; list shows every office under a header, revoked ones marked")
    func addListRevoke() async throws {
        let database = try await TestDatabase.fresh("officecli")
        try await database.withPool { pool in
            _ = try await LedgerImporter(pool: pool, logger: TestLogging.logger).importLedger(try LedgerReader.read(SampleLedger.json()))
        }
        let added = try await RectifyProcess.run(["office", "add", "--region", "130100", "--name", "石家庄市生态环境局"], database: database.url)
        #expect(added.status == 0, "\(added.output)")
        #expect(added.output.contains("token: rct_"))
        let revoked = try await RectifyProcess.run(["office", "revoke", "1"], database: database.url)
        #expect(revoked.status == 0, "\(revoked.output)")
        let listed = try await RectifyProcess.run(["office", "list"], database: database.url)
        #expect(listed.status == 0, "\(listed.output)")
        let lines = listed.output.split(separator: "\n").map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("id  region") }, "\(listed.output)")
        #expect(lines[header].split(separator: " ", omittingEmptySubsequences: true) == ["id", "region", "role", "status", "name"])
        let row = lines[header + 1].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        #expect(row.count == 6 && row[0] == "1" && row[1] == "130100" && row[2] == "city" && row[3] == "revoked" && row[5] == "石家庄市生态环境局",
                "\(lines[header + 1])")
        #expect(!listed.output.contains("rct_"), "a list never shows a token")
    }
}

extension OfficeCommandTests {
    @Test("user add prints a one-time link; list shows who has set a password; disable ends a person, once")
    func users() async throws {
        let database = try await TestDatabase.fresh("usercli")
        try await database.withPool { pool in
            _ = try await LedgerImporter(pool: pool, logger: TestLogging.logger).importLedger(try LedgerReader.read(SampleLedger.json()))
        }
        let office = try await RectifyProcess.run(["office", "add", "--region", "130100", "--name", "石家庄市生态环境局"], database: database.url)
        #expect(office.status == 0, "\(office.output)")
        let added = try await RectifyProcess.run(
            ["user", "add", "--office", "1", "--name", "张伟", "--login", "zhangwei"], database: database.url)
        #expect(added.status == 0, "\(added.output)")
        #expect(added.output.contains("person 1: 张伟 of 石家庄市生态环境局, login zhangwei"))
        let link = try #require(added.output.split(separator: "\n").first { $0.hasPrefix("link: ") })
        #expect(link.hasPrefix("link: http://127.0.0.1:8080/desk/password/") && link.count == "link: http://127.0.0.1:8080/desk/password/".count + 64)
        let byName = try await RectifyProcess.run(["user", "add", "--office", "1", "--name", "李娜"], database: database.url)
        #expect(byName.status == 0 && byName.output.contains("login 李娜"), "without --login the name is the login: \(byName.output)")
        let clash = try await RectifyProcess.run(["user", "add", "--office", "1", "--name", "Z", "--login", "ZhangWei"], database: database.url)
        #expect(clash.status != 0 && clash.output.contains("the login ZhangWei is taken"), "\(clash.output)")
        let listed = try await RectifyProcess.run(["user", "list"], database: database.url)
        #expect(listed.output.contains("zhangwei") && listed.output.contains("no password yet"), "\(listed.output)")
        #expect(!listed.output.contains("/desk/password/"), "a list never shows a link")
        let disabled = try await RectifyProcess.run(["user", "disable", "1"], database: database.url)
        #expect(disabled.status == 0 && disabled.output.contains("disabled"), "\(disabled.output)")
        let again = try await RectifyProcess.run(["user", "disable", "1"], database: database.url)
        #expect(again.status != 0 && again.output.contains("person 1 is already disabled"), "\(again.output)")
    }
}
