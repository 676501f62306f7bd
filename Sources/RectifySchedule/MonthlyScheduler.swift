public import Foundation
public import Logging
public import RectifyPostgres
public import RectifyDomain
public import ServiceLifecycle

/// Cron inside the workers (`rectify work --scheduler`): fires the monthly run at a day and time
/// of the month, from whichever worker holds the scheduling lease.
///
/// Every few seconds each scheduler asks for the lease; the leader fires the run of the latest
/// month whose firing time has passed. Firing is idempotent per period, so a leader that starts
/// after an outage fires the month it missed once, and a period already fired is left alone.
public struct MonthlyScheduler: Service {
    /// When and how the monthly run fires.
    public struct Configuration: Sendable, Equatable {
        /// Day of the month, 1–28.
        public var day = 1
        /// Hour (0–23) and minute (0–59) of that day.
        public var hour = 2
        public var minute = 0
        /// The province's time zone.
        public var timeZone = TimeZone(identifier: "Asia/Shanghai")!
        /// How long the leader's lease lasts without renewal: a dead leader is replaced after this.
        public var leaseDuration: Duration = .seconds(30)
        /// How often each scheduler asks for the lease and checks the month.
        public var interval: Duration = .seconds(5)
        /// The name-and-shame threshold N for the runs it fires, if not the default.
        public var stalledAfterMonths: Int?

        /// The defaults: the 1st at 02:00, Asia/Shanghai.
        public init() {}
    }

    private let pool: PostgresPool
    private let configuration: Configuration
    private let lease: SchedulerLease
    private let logger: Logger

    /// A scheduler for the worker `workerID`.
    public init(pool: PostgresPool, configuration: Configuration, workerID: String, logger: Logger) {
        self.pool = pool
        self.configuration = configuration
        self.lease = SchedulerLease(holder: workerID, duration: configuration.leaseDuration)
        self.logger = logger
    }

    public func run() async throws {
        var leading = false
        var reported: Period?
        // Cancelled (another service of the group failed), the sleep returns at once: stop then too.
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let leads = try await lease.acquire(pool)
                if leads != leading {
                    logger.info(leads ? "became the scheduling leader" : "another worker leads the scheduling now")
                    leading = leads
                    reported = nil
                }
                if leads { try await fireIfDue(reported: &reported) }
            } catch {
                logger.warning("scheduler tick failed; retrying", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: configuration.interval) }
        }
        if leading { try? await lease.release(pool) }
    }

    /// Fires the latest due month's run (a no-op when it was fired before).
    private func fireIfDue(reported: inout Period?) async throws {
        let period = Self.latestDuePeriod(at: Date(), configuration)
        let outcome = try await MonthlyRun.schedule(
            period: period, by: "scheduler@\(lease.holder)", stalledAfterMonths: configuration.stalledAfterMonths, pool: pool)
        switch outcome {
        case .scheduled(let ids):
            logger.info("scheduled the monthly run", metadata: ["period": "\(period)", "jobs": "\(ids)"])
        case .alreadyScheduled(_, let by) where reported != period:
            logger.info("the monthly run is already scheduled", metadata: ["period": "\(period)", "by": "\(by)"])
        case .alreadyScheduled:
            break
        }
        reported = period
    }

    /// The latest month whose run is due at `date`: the month before the current one once this
    /// month's firing time has passed, otherwise the month before that.
    public static func latestDuePeriod(at date: Date, _ configuration: Configuration) -> Period {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = configuration.timeZone
        let now = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let current = Period(year: now.year!, month: now.month!)!
        let fired = (now.day!, now.hour!, now.minute!) >= (configuration.day, configuration.hour, configuration.minute)
        return fired ? current.previous : current.previous.previous
    }
}
