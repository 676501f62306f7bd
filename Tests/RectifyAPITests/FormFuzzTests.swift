import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import RectifyAccounts
import RectifyAPI
import RectifyLedger
import RectifyPostgres
import RectifyTesting
import Testing

/// The desk's form handlers under random input: random fields, sizes and encodings (invalid
/// percent-escapes, NUL, control characters, long text, unknown names, garbage multipart),
/// with and without the right token. No input may produce a 5xx.
@Suite("The desk's forms under random input", .database)
struct FormFuzzTests {
    /// A small deterministic generator, so that a failure can be replayed by its seed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let pieces = [
        "", "0", "-1", "100", "101", "9999999999999999999999", "2026-11", "2026-13", "0001-01", "9999-12-31", "2027-06-30",
        "accept", "reject", "uphold", "dismiss", "in_progress", "pending_acceptance", "closed", "zh", "en", "%00", "%FF%FE",
        "%", "%G1", "a%0Ab", "\u{0}", "<script>alert(1)</script>", "'; DROP TABLE rectify_tasks; --", "../../etc/passwd",
        "CEI2-HE-001", "CEI2-HE-002", "测试", "🙂", String(repeating: "长", count: 5000), String(repeating: "x", count: 70_000),
    ]

    static let fields = ["csrf", "login", "password", "confirm", "next", "period", "progress", "status", "summary", "decision",
                         "note", "to", "reason", "document", "on", "name", "contact", "evidence", "x", ""]

    static func body(_ generator: inout Generator, csrf: String?) -> String {
        var pairs: [String] = []
        if let csrf, Bool.random(using: &generator) { pairs.append("csrf=\(csrf)") }
        for _ in 0..<Int.random(in: 0...8, using: &generator) {
            let name = fields.randomElement(using: &generator)!
            let value = pieces.randomElement(using: &generator)!
            let encoded = Bool.random(using: &generator) ? (value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value) : value
            pairs.append("\(name)=\(encoded)")
        }
        return pairs.joined(separator: Bool.random(using: &generator) ? "&" : "&&")
    }

    @Test("random form bodies to every desk POST, signed in or not, never get a 5xx", arguments: [1, 2, 3] as [UInt64])
    func randomForms(seed: UInt64) async throws {
        let database = try await TestDatabase.fresh("formfuzz\(seed)")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            try await DeskPeople.add(pool, office: fixture.province.office.id, name: "赵敏", login: "zhaomin")
            let (_, link) = try await PeopleRegistry(pool: pool, policy: DeskPeople.policy)
                .add(office: fixture.county.office.id, name: "王芳", login: "wangfang")
            var settings = APIFixture.settings()
            settings.rateLimitPerAddress = .off
            try await APIFixture.withClient(pool, settings: settings) { client in
                var province = DeskBrowser(client)
                try await province.signIn("zhaomin", DeskPeople.password)
                try await province.get("/desk/acceptance")
                let token = province.csrfToken
                let paths = [
                    "/desk/signin", "/desk/signout", DeskLinks.password(link), "/desk/password/nope", "/desk/tasks/CEI2-HE-001/progress",
                    "/desk/tasks/CEI2-HE-001/decision", "/desk/tasks/CEI2-HE-001/extension", "/desk/tasks/%00/progress",
                    "/desk/inbox/1/read", "/desk/inbox/x/read", "/desk/reports/1/issue", "/desk/objections/1/decision",
                    "/gongshi/CEI2-HE-001/objection", "/ops/jobs/1/retry", "/ops/jobs/1/discard",
                ]
                var generator = Generator(state: seed)
                var answered = 0
                for _ in 0..<150 {
                    let path = paths.randomElement(using: &generator)!
                    var headers: HTTPFields = [:]
                    let signedIn = Bool.random(using: &generator)
                    if signedIn { headers[.cookie] = province.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
                    let body: ByteBuffer
                    switch Int.random(in: 0..<4, using: &generator) {
                    case 0:
                        headers[.contentType] = "multipart/form-data; boundary=b"
                        body = ByteBuffer(string: "--b\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"\u{0}.png\"\r\n\r\n"
                            + Self.body(&generator, csrf: token) + "\r\n--b")
                    case 1:
                        headers[.contentType] = "text/plain"
                        body = ByteBuffer(bytes: (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) })
                    default:
                        headers[.contentType] = "application/x-www-form-urlencoded"
                        body = ByteBuffer(string: Self.body(&generator, csrf: token))
                    }
                    let response = try await client.execute(uri: path, method: .post, headers: headers, body: body)
                    #expect(response.status.code < 500, "\(path) answered \(response.status) (seed \(seed)): \(String(buffer: response.body).prefix(300))")
                    answered += 1
                }
                #expect(answered == 150)
            }
            // Nothing random reached the ledger as a decision.
            let status = try await pool.query("SELECT status FROM rectify_tasks WHERE id = 'CEI2-HE-002'")[0].decode(String.self, at: 0)
            #expect(status == "closed")
        }
    }
}
