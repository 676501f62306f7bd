public import Foundation

/// The periodic entries and how the scheduler inside the workers (`rectify work --scheduler`)
/// elects its leader. The monthly run is one entry, built from ``day``, ``hour``, ``minute`` and
/// ``timeZone``; ``entries`` holds the others.
public struct SchedulerConfiguration: Sendable, Equatable {
    /// Day of the month, 1–28, on which the month that just ended is run.
    public var day = 1
    /// Hour (0–23) and minute (0–59) of that day.
    public var hour = 2
    public var minute = 0
    /// The province's time zone.
    public var timeZone = TimeZone(identifier: "Asia/Shanghai")!
    /// The name-and-shame threshold N for the runs it fires, if not the default.
    public var stalledAfterMonths: Int?
    /// How many missed months the monthly entry fires after downtime (the newest ones).
    public var monthlyCatchUpLimit = 3
    /// The periodic entries besides the monthly run.
    public var entries: [PeriodicEntry] = []
    /// How long the leader's lease lasts without renewal: a dead leader is replaced after this.
    public var leaseDuration: Duration = .seconds(30)
    /// How often each scheduler asks for the lease and checks for due times.
    public var interval: Duration = .seconds(5)

    /// The defaults: the monthly run on the 1st at 02:00, Asia/Shanghai, and no other entry.
    public init() {}

    /// The monthly run as a periodic entry: `MINUTE HOUR DAY * *` in ``timeZone``.
    public var monthlyEntry: PeriodicEntry {
        let cron = try! CronExpression("\(minute) \(hour) \(day) * *", timeZone: timeZone)  // fields range-checked where set
        return try! PeriodicEntry(
            name: MonthlyRun.entryName, cron: cron, kind: MonthlyRun.entryKind,
            argsJSON: MonthlyRun.EntryArgs(stalledAfterMonths: stalledAfterMonths).json, queue: MonthlyRun.queue,
            catchUpLimit: monthlyCatchUpLimit)
    }

    /// Every entry: the monthly run first, then ``entries``.
    public var allEntries: [PeriodicEntry] { [monthlyEntry] + entries }
}
