import Logging
import ServiceLifecycle

/// Runs services (workers, the scheduler, the HTTP server) in a `ServiceGroup` that shuts down
/// gracefully on SIGTERM and SIGINT (``ShutdownSignals``); a second signal changes nothing.
enum ServiceRun {
    static func untilSignalled(_ services: [any Service], logger: Logger) async throws {
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services.map { .init(service: $0) }, logger: logger))
        try await ShutdownSignals.whileRunning(onSignal: { signal in
            logger.info("\(signal) received; shutting down gracefully")
            Task { await group.triggerGracefulShutdown() }
        }) {
            try await group.run()
        }
    }
}
