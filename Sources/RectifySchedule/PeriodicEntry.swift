import Foundation

/// One periodic job: a named cron schedule and the job it enqueues at each due time.
///
/// The entry whose ``kind`` is ``MonthlyRun/entryKind`` is the monthly run: each due time
/// schedules the month before it (``MonthlyRun/period(due:in:)``) through ``MonthlyRun``, so it
/// shares that run's once-per-period rows with `rectify schedule monthly --period`.
public struct PeriodicEntry: Sendable, Hashable {
    /// Unique name, e.g. `monthly_run`.
    public var name: String
    /// When it is due, and in which time zone.
    public var cron: CronExpression
    /// The job kind it enqueues.
    public var kind: String
    /// The job's arguments, a JSON object.
    public var argsJSON: String
    /// The queue the job goes to.
    public var queue: String
    /// After downtime, how many of the missed due times are fired (the newest ones); older
    /// missed ones are skipped with a log line.
    public var catchUpLimit: Int

    /// Creates an entry.
    ///
    /// - Throws: ``ScheduleError`` `.invalidEntry` naming the field when the name, kind or queue
    ///   is empty, the args are not a JSON object, or the catch-up limit is below 1.
    public init(name: String, cron: CronExpression, kind: String, argsJSON: String = "{}", queue: String = "default", catchUpLimit: Int = 3) throws {
        guard !name.isEmpty else { throw ScheduleError(.invalidEntry, "name: must not be empty") }
        guard !kind.isEmpty else { throw ScheduleError(.invalidEntry, "\(name).kind: must not be empty") }
        guard !queue.isEmpty else { throw ScheduleError(.invalidEntry, "\(name).queue: must not be empty") }
        guard catchUpLimit >= 1 else { throw ScheduleError(.invalidEntry, "\(name).catch_up_limit: must be at least 1") }
        guard (try? JSONSerialization.jsonObject(with: Data(argsJSON.utf8))) is [String: Any] else {
            throw ScheduleError(.invalidEntry, "\(name).args: must be a JSON object")
        }
        self.name = name
        self.cron = cron
        self.kind = kind
        self.argsJSON = argsJSON
        self.queue = queue
        self.catchUpLimit = catchUpLimit
    }
}
