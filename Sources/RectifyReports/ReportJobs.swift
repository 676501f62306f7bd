import Logging
import RectifyDomain
import RectifyPostgres
import RectifyQueue
public import RectifyWorker

/// The report job kinds, registered with the workers.
public enum ReportJobs {
    /// Arguments of every report job: the period and, optionally, one round.
    public struct Args: Codable, Sendable {
        /// `YYYY-MM`.
        public var period: String
        /// A round id, or `nil` for all rounds.
        public var round: String?
        /// Name-and-shame only: reported months without a progress increase that make a task
        /// stalled; default 2.
        public var stalledAfterMonths: Int?

        /// Creates arguments.
        public init(period: String, round: String? = nil, stalledAfterMonths: Int? = nil) {
            self.period = period
            self.round = round
            self.stalledAfterMonths = stalledAfterMonths
        }
    }

    /// The kind of the accountability tally job.
    public static let accountabilityTally = "accountability_tally"
    /// The kind of the monthly scheduling job.
    public static let monthlySchedule = "monthly_schedule"
    /// The kind of the name-and-shame job.
    public static let nameAndShame = "name_and_shame"

    /// How long the name-and-shame job waits before looking again for unapplied submissions.
    public static let submissionsWait: Duration = .seconds(2)

    /// Registers the report kinds. Each computes its figures and writes its report inside the
    /// transaction that completes the job, on one snapshot of the database (repeatable read),
    /// so a report never mixes data from before and after a concurrent change.
    public static func register(into registry: inout JobRegistry) {
        registry.register(accountabilityTally, args: Args.self, isolation: .repeatableRead) { args, connection, context in
            let period = try await begin(args, on: connection)
            let tally = try await AccountabilityTally.compute(period: period, round: args.round, on: connection)
            try await ReportStore.replace(
                kind: accountabilityTally, period: "\(period)", round: args.round, figures: tally, jobID: context.job.id,
                on: connection)
            context.logger.info("accountability tally written", metadata: ["period": "\(period)", "cases": "\(tally.overall.casesTotal)"])
        }
        registerMonthlySchedule(into: &registry)
        registerNameAndShame(into: &registry)
    }

    private static func registerMonthlySchedule(into registry: inout JobRegistry) {
        registry.register(monthlySchedule, args: Args.self, isolation: .repeatableRead) { args, connection, context in
            let period = try await begin(args, on: connection)
            let schedule = try await MonthlySchedule.compute(period: period, round: args.round, on: connection)
            let report = try await ReportStore.replace(
                kind: monthlySchedule, period: "\(period)", round: args.round, figures: schedule, jobID: context.job.id,
                on: connection)
            try await Notifications.remind(report: report, period: period, round: args.round, on: connection)
            context.logger.info("monthly schedule written", metadata: [
                "period": "\(period)", "tasks": "\(schedule.overall.tasks.tasksTotal)",
                "overdue": "\(schedule.overall.tasks.tasksOverdue)",
            ])
        }
    }

    private static func registerNameAndShame(into registry: inout JobRegistry) {
        registry.register(nameAndShame, args: Args.self, isolation: .repeatableRead) { args, connection, context in
            let period = try await begin(args, on: connection)
            let months = args.stalledAfterMonths ?? 2
            guard months >= 1 else { throw JobControl.cancel(reason: "stalled_after_months must be at least 1, not \(months)") }
            // Units are named on the progress the offices reported: wait until it is all applied.
            let pending = try await ProgressJobs.pending(upTo: "\(period)", on: connection)
            guard pending == 0 else {
                context.logger.info("waiting for submitted progress to be applied", metadata: ["pending": "\(pending)"])
                throw JobControl.snooze(submissionsWait)
            }
            let notice = try await NameAndShame.write(
                period: period, round: args.round, stalledAfter: months, jobID: context.job.id, on: connection)
            context.logger.info("name-and-shame notice written", metadata: [
                "period": "\(period)", "units": "\(notice.unitsNamed)", "tasks": "\(notice.tasksNamed)",
            ])
        }
    }

    /// Checks that a report runs on one snapshot and returns its period. The snapshot is the
    /// registration's (`isolation: .repeatableRead`): the worker begins the transaction at that
    /// level and locks the job's row before the handler runs, so heartbeats leave the row alone
    /// and the completion cannot fail on a concurrent update.
    private static func begin(_ args: Args, on connection: isolated PostgresConnection) async throws -> Period {
        guard let period = Period(args.period) else {
            throw JobControl.cancel(reason: "period \"\(args.period)\" is not a month YYYY-MM")
        }
        let isolation = try await connection.query("SELECT current_setting('transaction_isolation')")[0].decode(String.self, at: 0)
        guard isolation == "repeatable read" else {
            throw JobControl.cancel(reason: "report kinds must be registered with isolation: .repeatableRead, not \(isolation)")
        }
        return period
    }
}
