import ArgumentParser
import Prometheus
import RectifyAPI
import RectifyConfig
import Logging
import RectifyPostgres
import RectifyProgress
import RectifyQueue
import RectifyReports
import RectifySchedule
import RectifyWorker
import ServiceLifecycle
import UnixSignals

struct WorkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "work",
        abstract: "Run jobs until SIGTERM or SIGINT, then finish or return running jobs and exit.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var options: WorkerOptions
    @Flag(help: ArgumentHelp(
        "Also fire the monthly run at the configured day and time, from one leader among all workers started with this flag.",
        discussion: "Configured by scheduler.day, scheduler.time and scheduler.time_zone (default the 1st at 02:00, Asia/Shanghai)."))
    var scheduler = false
    @Option(help: ArgumentHelp(
        "Serve this worker's /metrics (Prometheus) and /healthz on this port, on all interfaces.", valueName: "port"))
    var metricsPort: Int?

    func validate() throws {
        if let metricsPort, !(1...65_535).contains(metricsPort) { throw ValidationError("--metrics-port must be from 1 to 65535") }
    }

    func run() async throws {
        let logger = database.makeLogger()
        let settings = try database.settings()
        let metrics = MetricsBootstrap.prometheus()
        var configuration = try options.configuration(base: settings.worker)
        configuration.workerID = configuration.workerID ?? Worker.makeID()
        let concurrency = configuration.queues.values.reduce(0, +)
        try await database.withPool(logger: logger, maxConnections: min(20, 4 + concurrency)) { pool in
            try await SchemaCheck.require(pool, unlessUnreachable: logger)
            var registry = JobRegistry()
            JobKinds.register(into: &registry)
            var services: [any Service] = [Worker(pool: pool, registry: registry, configuration: configuration, logger: logger)]
            if let metricsPort {
                services.append(WorkerProbeServer.application(
                    host: "0.0.0.0", port: metricsPort, metrics: { metrics.emitToString() }, logger: logger))
            }
            if scheduler || settings.schedulerEnabled {
                services.append(MonthlyScheduler(
                    pool: pool, configuration: settings.scheduler, workerID: configuration.workerID!, logger: logger))
            }
            try await ServiceRun.untilSignalled(services, logger: logger)
        }
    }
}

/// Every job kind this build of rectify runs (and the fault suite's, only when
/// `RECTIFY_FAULT_KINDS=1`; see ``FaultJobs``).
enum JobKinds {
    static func register(into registry: inout JobRegistry) {
        BuiltinJobs.register(into: &registry)
        ReportJobs.register(into: &registry)
        ProgressJobs.register(into: &registry)
        if FaultJobs.enabled { FaultJobs.register(into: &registry) }
    }
}

/// Runs services (workers, the scheduler, the HTTP server) in a `ServiceGroup` that shuts down
/// gracefully on SIGTERM and SIGINT.
enum ServiceRun {
    static func untilSignalled(_ services: [any Service], logger: Logger) async throws {
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}

/// Refuses to start against a database that was never migrated, with the fix in the message.
enum SchemaCheck {
    /// As ``require(_:)``, but a database that cannot be reached now passes with a log line:
    /// the worker waits for it itself.
    static func require(_ pool: PostgresPool, unlessUnreachable logger: Logger) async throws {
        do {
            try await require(pool)
        } catch let error as PostgresError where error.isConnectionError {
            logger.warning("the database is unreachable; the worker will wait for it", metadata: ["error": "\(error)"])
        }
    }

    static func require(_ pool: PostgresPool) async throws {
        let present = try await pool.query("SELECT to_regclass('rectify_jobs') IS NOT NULL")[0].decode(Bool.self, at: 0)
        guard present else {
            throw CommandError("the database at \(pool.configuration.endpointDescription) has no rectify schema; run `rectify migrate` first")
        }
    }
}
