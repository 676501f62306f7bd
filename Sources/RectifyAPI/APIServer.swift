public import Foundation
public import Hummingbird
public import Logging
public import RectifyPostgres

/// The HTTP server of `rectify serve`. For now it answers ops: `GET /healthz` for load balancers
/// and probes, `GET /metrics` for Prometheus.
public enum APIServer {
    /// What the server needs to answer.
    public struct Settings: Sendable {
        public var host: String
        public var port: Int
        /// Workers count as live in `/metrics` when seen within two leases.
        public var workerLease: Duration
        /// The province's time zone, for "the month that just ended".
        public var timeZone: TimeZone

        /// Creates settings.
        public init(host: String, port: Int, workerLease: Duration, timeZone: TimeZone) {
            self.host = host
            self.port = port
            self.workerLease = workerLease
            self.timeZone = timeZone
        }
    }

    /// The application, a service to run in a `ServiceGroup`.
    public static func application(pool: PostgresPool, settings: Settings, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        router.add(middleware: DatabaseUnavailableMiddleware())
        router.get("healthz") { _, _ in try await health(pool) }
        router.get("metrics") { _, _ in
            let text = try await ProgrammeGauges.exposition(pool: pool, lease: settings.workerLease, timeZone: settings.timeZone)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        return Application(
            router: router, configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "rectify"),
            logger: logger)
    }

    /// 200 when the database answers and holds rectify's schema, 503 otherwise; JSON either way.
    static func health(_ pool: PostgresPool) async throws -> Response {
        let status: HTTPResponse.Status
        let body: String
        do {
            let migrated = try await pool.query("SELECT to_regclass('rectify_jobs') IS NOT NULL")[0].decode(Bool.self, at: 0)
            (status, body) = migrated
                ? (.ok, #"{"status":"ok","database":"ok"}"#)
                : (.serviceUnavailable, #"{"status":"unavailable","database":"not migrated: run rectify migrate"}"#)
        } catch {
            (status, body) = (.serviceUnavailable, #"{"status":"unavailable","database":"unreachable"}"#)
        }
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
