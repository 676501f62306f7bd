import Foundation
public import Logging
public import RectifyPostgres
public import ServiceLifecycle

/// Cron inside the workers (`rectify work --scheduler`): fires the periodic entries' due times
/// (the monthly run among them) from whichever worker holds the scheduling lease.
///
/// Every few seconds each scheduler asks for the lease. The leader registers the configured
/// entries when it becomes leader and then fires each due time not fired yet, catching up after
/// an outage on at most each entry's catch-up limit of missed due times (the newest). Firing is
/// idempotent per due time (``PeriodicSchedule``), so two leaders at once still fire it once.
public struct PeriodicScheduler: Service {
    private let pool: PostgresPool
    private let configuration: SchedulerConfiguration
    private let lease: SchedulerLease
    private let logger: Logger

    /// A scheduler for the worker `workerID`.
    public init(pool: PostgresPool, configuration: SchedulerConfiguration, workerID: String, logger: Logger) {
        self.pool = pool
        self.configuration = configuration
        self.lease = SchedulerLease(holder: workerID, duration: configuration.leaseDuration)
        self.logger = logger
    }

    public func run() async throws {
        var leading = false
        var registered = false
        // Cancelled (another service of the group failed), the sleep returns at once: stop then too.
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let leads = try await lease.acquire(pool)
                if leads != leading {
                    logger.info(leads ? "became the scheduling leader" : "another worker leads the scheduling now")
                    leading = leads
                    registered = false
                }
                if leads {
                    if !registered {
                        try await PeriodicSchedule.register(configuration.allEntries, pool: pool)
                        registered = true
                    }
                    try await PeriodicSchedule.fireDue(
                        configuration.allEntries, now: Date(), by: "scheduler@\(lease.holder)", pool: pool, logger: logger)
                }
            } catch {
                logger.warning("scheduler tick failed; retrying", metadata: [LogMetadataKey.error: "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: configuration.interval) }
        }
        if leading { try? await lease.release(pool) }
    }
}
