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
