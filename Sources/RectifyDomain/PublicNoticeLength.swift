public import Foundation

/// How long the public notice (公示) that an acceptance opens runs.
public enum PublicNoticeLength: Sendable, Equatable {
    /// Whole days, as the office sets it (`closeout.public_notice_days`): the notice's last day
    /// is the `n`-th day after the acceptance's, in the province's time zone, and the notice ends
    /// at that day's end.
    case days(Int)
    /// An exact span from the acceptance (`closeout.public_notice_seconds`), so a test can walk a
    /// whole notice in seconds.
    case exactly(Duration)

    /// When a notice opened at `openedAt` ends, and its last day: the day a task that nobody
    /// objected to closes on.
    public func end(openedAt: Date, in timeZone: TimeZone) -> (at: Date, lastDay: Day) {
        switch self {
        case .days(let count):
            let lastDay = Day(containing: openedAt, in: timeZone).adding(days: count)
            return (lastDay.adding(days: 1).start(in: timeZone), lastDay)
        case .exactly(let span):
            let (seconds, attoseconds) = span.components
            let at = openedAt.addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)
            return (at, Day(containing: at, in: timeZone))
        }
    }
}
