public import Foundation
import Logging
public import RectifyDomain
import RectifyPostgres
import RectifyProgress
public import RectifyQueue

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
    /// The kind of the public disclosure job (整改落实情况公开).
    public static let publicDisclosure = "public_disclosure"

    /// The report's name as the province calls it (月度调度, 点名通报, 问责统计, 整改落实情况公开);
    /// the kind itself for an unknown kind.
    public static func name(of kind: String) -> String {
        switch kind {
        case monthlySchedule: "月度调度"
        case nameAndShame: "点名通报"
        case accountabilityTally: "问责统计"
        case publicDisclosure: "整改落实情况公开"
        default: kind
        }
    }

    /// The definitions of the report kinds, in the order of ``kinds``: queue `reports`, the
    /// worker's timeout and retry policy.
    public static let definitions = kinds.map { JobDefinition(kind: $0, args: Args.self, queue: "reports") }

    /// How long the name-and-shame job waits before looking again for unapplied submissions.
    public static let submissionsWait: Duration = .seconds(2)

    /// Registers the report kinds. Each computes its figures and writes its report inside the
    /// transaction that completes the job, on one snapshot of the database (repeatable read),
    /// so a report never mixes data from before and after a concurrent change.
    public static func register(into registry: inout JobRegistry) {
        registry.register(definition(accountabilityTally), isolation: .repeatableRead) { args, connection, context in
            let period = try await begin(args, on: connection)
            let tally = try await AccountabilityTally.compute(period: period, round: args.round, on: connection)
            try await ReportStore.replace(
                kind: accountabilityTally, period: "\(period)", round: args.round, figures: tally, jobID: context.job.id,
                on: connection)
            context.logger.info("accountability tally written", metadata: ["period": "\(period)", "cases": "\(tally.overall.casesTotal)"])
        }
        registerMonthlySchedule(into: &registry)
        registerNameAndShame(into: &registry)
        registerPublicDisclosure(into: &registry)
    }

    private static func registerPublicDisclosure(into registry: inout JobRegistry) {
        registry.register(definition(publicDisclosure), isolation: .repeatableRead) { args, connection, context in
            let period = try await begin(args, on: connection)
            let disclosure = try await PublicDisclosure.compute(period: period, round: args.round, on: connection)
            try await ReportStore.replace(
                kind: publicDisclosure, period: "\(period)", round: args.round, figures: disclosure, jobID: context.job.id,
                on: connection)
            context.logger.info("public disclosure written", metadata: [
                "period": "\(period)", "tasks": "\(disclosure.overall.schedule.tasks.tasksTotal)",
            ])
        }
    }

    private static func registerMonthlySchedule(into registry: inout JobRegistry) {
        registry.register(definition(monthlySchedule), isolation: .repeatableRead) { args, connection, context in
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
        registry.register(definition(nameAndShame), isolation: .repeatableRead) { args, connection, context in
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

    /// The definition of one report kind.
    public static func definition(_ kind: String) -> JobDefinition<Args> {
        definitions.first { $0.kind == kind }!
    }

    /// The time zone in which the report jobs decide whether a month has ended: the province's.
    public static let timeZone = TimeZone(identifier: "Asia/Shanghai")!

    /// The report kinds, whose arguments ``checkArgs(kind:argsJSON:at:)`` checks.
    public static let kinds = [monthlySchedule, nameAndShame, accountabilityTally, publicDisclosure]

    /// Refuses a month that has not ended at `date` in `timeZone`.
    ///
    /// - Throws: ``ReportError`` saying which month it is now.
    public static func checkEnded(_ period: Period, at date: Date, in timeZone: TimeZone) throws(ReportError) {
        guard !period.hasEnded(at: date, in: timeZone) else { return }
        throw ReportError(message: "\(period) has not ended yet (it is \(Period(containing: date, in: timeZone)) in \(timeZone.identifier)); "
            + "a month is reported on once it is over")
    }

    /// Checks a report job's arguments before it is enqueued, as the job itself would: a period
    /// `YYYY-MM` that has ended (in ``timeZone``).
    ///
    /// - Throws: ``ReportError`` naming what is wrong.
    public static func checkArgs(kind: String, argsJSON: String, at date: Date) throws(ReportError) {
        guard kinds.contains(kind) else { return }
        guard let args = try? definition(kind).decode(argsJSON: argsJSON) else {
            throw ReportError(message: "\(kind) takes {\"period\": \"YYYY-MM\"} and optionally \"round\"")
        }
        guard let period = Period(args.period) else { throw ReportError(message: "period \"\(args.period)\" is not a month YYYY-MM") }
        do {
            try checkEnded(period, at: date, in: timeZone)
        } catch {
            throw ReportError(message: "period \(error.message)")
        }
    }

    /// Checks that a report runs on one snapshot and returns its period, which must be a month
    /// that has ended. The snapshot is the registration's (`isolation: .repeatableRead`): the
    /// worker begins the transaction at that level and locks the job's row before the handler
    /// runs, so heartbeats leave the row alone and the completion cannot fail on a concurrent update.
    private static func begin(_ args: Args, on connection: isolated PostgresConnection) async throws -> Period {
        guard let period = Period(args.period) else {
            throw JobControl.cancel(reason: "period \"\(args.period)\" is not a month YYYY-MM")
        }
        do {
            try checkEnded(period, at: Date(), in: timeZone)
        } catch {
            throw JobControl.cancel(reason: "period \(error.message)")
        }
        let isolation = try await connection.query("SELECT current_setting('transaction_isolation')")[0].decode(String.self, at: 0)
        guard isolation == "repeatable read" else {
            throw JobControl.cancel(reason: "report kinds must be registered with isolation: .repeatableRead, not \(isolation)")
        }
        return period
    }
}
