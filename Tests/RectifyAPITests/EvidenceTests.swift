import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import RectifyAPI
import RectifyLedger
import RectifyPostgres
import RectifyTesting
import Testing

/// Evidence files: told by their content, kept by SHA-256, cited only by the office that
/// uploaded them, read by those in scope.
@Suite("Evidence files", .database)
struct EvidenceTests {
    /// The first bytes of a PNG, then some pixels' worth of bytes.
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 3000)

    /// A ZIP package with the given entries stored uncompressed, as an Office document is built.
    static func package(_ entries: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        func u16(_ value: Int) { bytes += [UInt8(value & 0xff), UInt8(value >> 8 & 0xff)] }
        func u32(_ value: Int) { u16(value & 0xffff); u16(value >> 16 & 0xffff) }
        for name in entries {
            let content = Array("<xml/>".utf8)
            u32(0x0403_4B50); u16(20); u16(0); u16(0); u16(0); u16(0); u32(0); u32(content.count); u32(content.count)
            u16(name.utf8.count); u16(0)
            bytes += Array(name.utf8) + content
        }
        return bytes
    }

    static func hex(_ bytes: [UInt8]) -> String { SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }

    @Test("files are told by content; a submission cites only its office's uploads; a file is read by its uploader and those in scope")
    func uploadCiteRead() async throws {
        let database = try await TestDatabase.fresh("evidence")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            try await APIFixture.withClient(pool) { client in
                func upload(_ bytes: [UInt8], name: String, token: String) async throws -> TestResponse {
                    try await client.execute(
                        uri: "/v1/evidence?name=\(name)", method: .post, headers: [.authorization: "Bearer \(token)"],
                        body: ByteBuffer(bytes: bytes))
                }
                let photo = try await upload(Self.png, name: "site.png", token: fixture.city.token)
                #expect(photo.status == .created, "\(photo.text)")
                #expect(photo.object["sha256"] as? String == Self.hex(Self.png) && photo.object["media_type"] as? String == "image/png")
                let docx = try await upload(Self.package(["[Content_Types].xml", "word/document.xml"]), name: "report.docx", token: fixture.city.token)
                #expect(docx.object["media_type"] as? String == EvidenceKind.docx.mediaType)
                let xlsx = try await upload(Self.package(["[Content_Types].xml", "xl/workbook.xml"]), name: "sheet.xlsx", token: fixture.city.token)
                #expect(xlsx.object["media_type"] as? String == EvidenceKind.xlsx.mediaType)
                for (bytes, name) in [(Array("just text".utf8), "note.pdf"), (Self.package(["a.txt"]), "fake.docx"), ([0x4D, 0x5A, 0x90], "tool.jpg")] {
                    let refused = try await upload(bytes, name: name, token: fixture.city.token)
                    #expect(refused.status == .unsupportedMediaType && refused.error["code"] == "unsupported_evidence", "\(name)")
                }
                #expect(try await upload(Self.png, name: "a%00b", token: fixture.city.token).status == .unprocessableContent)

                let sha = Self.hex(Self.png)
                let foreign = try await client.send(
                    .post, "/v1/progress", token: fixture.province.token,
                    json: submissionJSON(extra: #","evidence":[{"name":"site.png","sha256":"\#(sha)"}]"#))
                #expect(foreign.status == .unprocessableContent && foreign.error["code"] == "evidence_not_uploaded", "\(foreign.text)")
                #expect(try await client.send(.get, "/v1/evidence/\(sha)", token: fixture.province.token).status == .notFound,
                        "knowing the hash gives no access before a submission in scope cites it")

                let cited = try await client.send(
                    .post, "/v1/progress", token: fixture.city.token,
                    json: submissionJSON(extra: #","evidence":[{"name":"site.png","sha256":"\#(sha)"}]"#))
                #expect(cited.status == .accepted, "\(cited.text)")
                let read = try await client.send(.get, "/v1/evidence/\(sha)", token: fixture.province.token)
                #expect(read.status == .ok && Array(read.body.readableBytesView) == Self.png && read.headers[.contentType] == "image/png")
                #expect(try await client.send(.get, "/v1/evidence/\(sha)", token: fixture.county.token).status == .notFound,
                        "a county outside the task's scope")
            }
            let stored = try await pool.query("SELECT count(*), sum(length(data)) FROM rectify_evidence_chunks")[0].decode((Int, Int).self)
            #expect(stored.0 == 3 && stored.1 > 3000, "each file kept once, in chunks")
        }
    }

    @Test("the desk's progress form takes files with the progress, and the task's page links them")
    func deskUpload() async throws {
        let database = try await TestDatabase.fresh("evidencedesk")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            try await DeskPeople.add(pool, office: fixture.city.office.id, name: "张伟", login: "zhangwei")
            try await APIFixture.withClient(pool) { client in
                var city = DeskBrowser(client)
                try await city.signIn("zhangwei", DeskPeople.password)
                let page = try await city.get("/desk/tasks/CEI2-HE-001")
                #expect(page.text.contains("enctype=\"multipart/form-data\"") && page.text.contains("type=\"file\""))
                let token = try #require(city.csrfToken)
                let month = try #require(DeskTests.firstMonth(in: page.text))
                let boundary = "----rectify-test"
                var body: [UInt8] = []
                for (name, value) in [("csrf", token), ("period", month), ("progress", "70"), ("status", "in_progress"), ("summary", "三处点位已完成")] {
                    body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
                }
                body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"现场照片.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
                body += Self.png + Array("\r\n--\(boundary)--\r\n".utf8)
                var headers: HTTPFields = [.contentType: "multipart/form-data; boundary=\(boundary)"]
                headers[.cookie] = city.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
                let sent = try await client.execute(uri: "/desk/tasks/CEI2-HE-001/progress", method: .post, headers: headers, body: ByteBuffer(bytes: body))
                #expect(sent.status == .seeOther, "\(String(buffer: sent.body))")
                let after = try await city.get("/desk/tasks/CEI2-HE-001")
                #expect(after.text.contains("/desk/evidence/\(Self.hex(Self.png))") && after.text.contains("现场照片.png"))
                let file = try await city.get("/desk/evidence/\(Self.hex(Self.png))")
                #expect(file.status == .ok && Array(file.body.readableBytesView) == Self.png)
            }
        }
    }
}
