import ArgumentParser
import Prometheus
import RectifyAccounts
import RectifyAPI
import RectifyConfig
import RectifySchedule
import RectifyPostgres
import RectifySchema
import RectifyWorker

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP API for the offices, the ops page, /healthz, /readyz, /metrics and /openapi.yaml.",
        discussion: "Stops on SIGTERM or SIGINT after answering the requests in flight.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Address to listen on (default http.host, 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default http.port, 8080).") var port: Int?

    func validate() throws {
        if let port, !(0...65_535).contains(port) { throw ValidationError("--port must be from 0 to 65535") }
    }

    func run() async throws {
        let logger = database.makeLogger()
        let settings = try database.settings()
        let metrics = MetricsBootstrap.prometheus()
        // 32 connections: a request that waits in the pool's line for a connection costs a task
        // group and a timer, and at 16 connections under 32 concurrent requests the wait put
        // the task page's p99 at 130 ms (BENCHMARKS.md, "The offices' API").
        try await database.withPool(logger: logger, maxConnections: 32) { pool in
            try await SchemaCheck.require(pool)
            var server = APIServer.Settings(
                host: host ?? settings.httpHost, port: port ?? settings.httpPort,
                workerLease: settings.worker.lease, timeZone: settings.scheduler.timeZone)
            server.bodyLimitBytes = settings.httpBodyLimitBytes
            server.connectionLimits.headerTimeout = settings.httpHeaderTimeout
            server.connectionLimits.minimumBodyRate = settings.httpMinimumBodyRate
            server.rateLimitPerAddress = RateLimit(perSecond: Double(settings.httpRateLimitPerAddress), burst: 10 * settings.httpRateLimitPerAddress)
            server.rateLimitPerToken = RateLimit(perSecond: Double(settings.httpRateLimitPerToken), burst: 10 * settings.httpRateLimitPerToken)
            server.trustedProxies = settings.httpTrustedProxies
            server.reports = settings.reportConfiguration
            server.desk.secureCookies = settings.deskSecureCookies
            server.desk.accounts.sessionIdle = settings.deskSessionIdle
            server.desk.accounts.sessionLifetime = settings.deskSessionLifetime
            server.publicNotice = settings.publicNotice
            server.periodicEntries = settings.scheduler.allEntries
            server.expectedSchema = RectifySchema.catalog.expectedVersions
            server.processMetrics = { metrics.emitToString() }
            let application = APIServer.application(pool: pool, settings: server, logger: logger)
            try await ServiceRun.untilSignalled([application], logger: logger)
        }
    }
}
