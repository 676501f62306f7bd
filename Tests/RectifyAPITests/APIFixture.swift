import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import RectifyAPI
import RectifyDomain
import RectifyLedger
import RectifyPostgres
import RectifyProgress
import RectifyTesting

/// The sample ledger behind the API, with a token for each kind of office.
struct APIFixture: Sendable {
    let pool: PostgresPool
    /// Shijiazhuang (city; owns both sample tasks), Chang'an (county; owns CEI2-HE-002),
    /// the province, and an ops office.
    let city: (office: Office, token: String)
    let county: (office: Office, token: String)
    let province: (office: Office, token: String)
    let ops: (office: Office, token: String)

    static func load(_ pool: PostgresPool) async throws -> APIFixture {
        _ = try await LedgerImporter(pool: pool, logger: TestLogging.logger).importLedger(try LedgerReader.read(SampleLedger.json()))
        let registry = OfficeRegistry(pool: pool)
        return APIFixture(
            pool: pool,
            city: try await registry.add(region: "130100", name: "Shijiazhuang office", role: nil),
            county: try await registry.add(region: "130102", name: "Chang'an office", role: nil),
            province: try await registry.add(region: "130000", name: "Provincial office", role: nil),
            ops: try await registry.add(region: nil, name: "On-call", role: "ops"))
    }

    static func settings(bodyLimit: Int = 64 << 10) -> APIServer.Settings {
        var settings = APIServer.Settings(
            host: "127.0.0.1", port: 0, workerLease: .seconds(30), timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        settings.bodyLimitBytes = bodyLimit
        settings.publicNotice = .exactly(.milliseconds(300))
        settings.desk.accounts = DeskPeople.policy
        return settings
    }

    /// Runs `body` with a test client of the application on `pool`.
    static func withClient<Value: Sendable>(
        _ pool: PostgresPool, settings: APIServer.Settings = settings(),
        _ body: @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let app = Application(router: APIServer.router(pool: pool, settings: settings).router)
        return try await app.test(.router, body)
    }

    /// Submissions and jobs stored so far.
    func written() async throws -> [Int] {
        let row = try await pool.query("""
            SELECT (SELECT count(*) FROM rectify_progress_submissions), (SELECT count(*) FROM rectify_jobs)
            """)[0]
        let (submissions, jobs) = try row.decode((Int, Int).self)
        return [submissions, jobs]
    }
}

extension TestClientProtocol {
    /// Sends a request with a bearer token and a JSON body.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil,
        contentType: String = "application/json"
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = contentType }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    /// The body as a JSON object.
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]) ?? [:]
    }

    /// The `error` member of the JSON error shape.
    var error: [String: String] {
        (object["error"] as? [String: Any])?.compactMapValues { $0 as? String } ?? [:]
    }

    var text: String { String(buffer: body) }
}

/// A submission body with one field changed.
func submissionJSON(
    id: String = UUID().uuidString, task: String = "CEI2-HE-001", period: String = "2026-10", progress: Any = 55,
    status: String = "in_progress", extra: String = ""
) -> String {
    let progressText = progress is String ? "\"\(progress)\"" : "\(progress)"
    return #"{"submission_id":"\#(id)","task":"\#(task)","period":"\#(period)","progress":\#(progressText),"status":"\#(status)","summary":"Closed 3 of 5 dust sources"\#(extra)}"#
}
