public import Foundation
public import Hummingbird
public import Logging
public import RectifyDomain
public import RectifyPostgres
import NIOCore
import RectifyProgress
public import RectifyReports
public import RectifySchedule

/// The HTTP server of `rectify serve`: the offices' API under `/v1`, the ops page, probes,
/// metrics and the OpenAPI document. Every failure answers the JSON error shape of the SPEC.
public enum APIServer {
    /// What the server needs to answer.
    public struct Settings: Sendable {
        public var host: String
        public var port: Int
        /// The largest request body read; default 64 KiB (`http.body_limit_bytes`).
        public var bodyLimitBytes: Int = 64 << 10
        /// Workers count as live in `/metrics` and on the ops page when seen within two leases.
        public var workerLease: Duration
        /// The province's time zone, for "the month that just ended", "today" and future periods.
        public var timeZone: TimeZone
        /// How long the public notice (公示) after an acceptance lasts; default 7 days.
        public var publicNotice: PublicNoticeLength = .days(7)
        /// How long an office found by its token is remembered: a revoked token stops working
        /// within this time; default 1 s, `.zero` to look up every request.
        public var tokenCacheLifetime: Duration = .seconds(1)
        /// The periodic entries of this deployment's configuration, shown on the ops page beside
        /// those a scheduling leader registered; default none.
        public var periodicEntries: [PeriodicEntry] = []
        /// The schema version each component must have for `/readyz` (`queue`: 2, …).
        public var expectedSchema: [String: Int] = [:]
        /// How the province's documents are signed and numbered (`reports.*`), for reading and
        /// issuing them on the desk; the demo province's by default.
        public var reports = ReportConfiguration()
        /// The desk's cookies, sessions and sign-in throttling.
        public var desk = DeskSettings()
        /// How long the server waits for a request's head and how slowly a body may arrive.
        public var connectionLimits = ConnectionLimits()
        /// Requests per client address; default 50 a second with bursts of 500. Probes and
        /// metrics are not limited.
        public var rateLimitPerAddress = RateLimit(perSecond: 50, burst: 500)
        /// Requests per office token; default 20 a second with bursts of 200.
        public var rateLimitPerToken = RateLimit(perSecond: 20, burst: 200)
        /// Reverse proxies whose `X-Forwarded-For` is believed; default none.
        public var trustedProxies: [String] = []
        /// The process's own metrics (HTTP, pool) in Prometheus text format, from the backend
        /// the command bootstrapped; appended to `/metrics`.
        public var processMetrics: @Sendable () -> String = { "" }

        /// Creates settings.
        public init(host: String, port: Int, workerLease: Duration, timeZone: TimeZone) {
            self.host = host
            self.port = port
            self.workerLease = workerLease
            self.timeZone = timeZone
        }
    }

    /// The application, a service to run in a `ServiceGroup`.
    ///
    /// - Parameter onListening: called with the port once the server listens (useful with port 0).
    public static func application(
        pool: PostgresPool, settings: Settings, logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(pool: pool, settings: settings).router,
            server: .http1(configuration: .init(additionalChannelHandlers: [SlowClientGuard(limits: settings.connectionLimits)])),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "rectify"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? settings.port) },
            logger: logger)
    }

    /// The router with every route, and the table of those routes (for the OpenAPI check).
    public static func router(pool: PostgresPool, settings: Settings) -> (router: Router<APIRequestContext>, routes: RouteTable) {
        let router = Router(context: APIRequestContext.self)
        let routes = RouteRegistry()
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: HTTPMetricsMiddleware())
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorMiddleware(routes: routes))
        router.add(middleware: RateLimitMiddleware(settings: settings))
        APIRoutes(pool: pool, settings: settings).register(on: router, routes: routes)
        return (router, routes.table)
    }
}
