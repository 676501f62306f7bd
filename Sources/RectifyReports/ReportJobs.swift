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

        /// Creates arguments.
        public init(period: String, round: String? = nil) {
            self.period = period
            self.round = round
        }
    }

    /// The kind of the accountability tally job.
    public static let accountabilityTally = "accountability_tally"
    /// The kind of the monthly scheduling job.
    public static let monthlySchedule = "monthly_schedule"

    /// Registers the report kinds. Each computes its figures and writes its report inside the
    /// transaction that completes the job.
    public static func register(into registry: inout JobRegistry) {
        registry.register(accountabilityTally, args: Args.self) { args, connection, context in
            let period = try period(args)
            let tally = try await AccountabilityTally.compute(period: period, round: args.round, on: connection)
            try await ReportStore.replace(
                kind: accountabilityTally, period: "\(period)", round: args.round, figures: tally, jobID: context.job.id,
                on: connection)
            context.logger.info("accountability tally written", metadata: ["period": "\(period)", "cases": "\(tally.overall.casesTotal)"])
        }
        registerMonthlySchedule(into: &registry)
    }

    private static func registerMonthlySchedule(into registry: inout JobRegistry) {
        registry.register(monthlySchedule, args: Args.self) { args, connection, context in
            let period = try period(args)
            let schedule = try await MonthlySchedule.compute(period: period, round: args.round, on: connection)
            try await ReportStore.replace(
                kind: monthlySchedule, period: "\(period)", round: args.round, figures: schedule, jobID: context.job.id,
                on: connection)
            context.logger.info("monthly schedule written", metadata: [
                "period": "\(period)", "tasks": "\(schedule.overall.tasks.tasksTotal)",
                "overdue": "\(schedule.overall.tasks.tasksOverdue)",
            ])
        }
    }

    private static func period(_ args: Args) throws -> Period {
        guard let period = Period(args.period) else {
            throw JobControl.cancel(reason: "period \"\(args.period)\" is not a month YYYY-MM")
        }
        return period
    }
}
