import ArgumentParser
import Prometheus
import RectifyAPI
import RectifyConfig
import Logging
import RectifyPostgres
import RectifySchedule
import RectifyWorker
import ServiceLifecycle

struct WorkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "work",
        abstract: "Run jobs until SIGTERM or SIGINT, then finish or return running jobs and exit.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var options: WorkerOptions
    @Flag(help: ArgumentHelp(
        "Also fire the periodic entries (the monthly run among them) when due, from one leader among all workers started with this flag.",
        discussion: """
            The monthly run is configured by scheduler.day, scheduler.time and scheduler.time_zone (default the 1st at 02:00, \
            Asia/Shanghai), other entries by scheduler.entries.
            """))
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
                try PeriodicEntryKinds.check(settings)
                services.append(PeriodicScheduler(
                    pool: pool, configuration: settings.scheduler, workerID: configuration.workerID!, logger: logger))
            }
            try await ServiceRun.untilSignalled(services, logger: logger)
        }
    }
}
