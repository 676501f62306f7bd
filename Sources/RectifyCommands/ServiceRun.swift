import Logging
import ServiceLifecycle
import UnixSignals

/// Runs services (workers, the scheduler, the HTTP server) in a `ServiceGroup` that shuts down
/// gracefully on SIGTERM and SIGINT, and logs when they have all stopped, so that whoever
/// stopped the process can see it finished its shutdown.
enum ServiceRun {
    static func untilSignalled(_ services: [any Service], logger: Logger) async throws {
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        logger.notice("shut down cleanly; exiting")
    }
}
