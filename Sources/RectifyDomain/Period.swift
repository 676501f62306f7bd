public import Foundation

/// A reporting month (`YYYY-MM`): what a monthly schedule, a notice or a tally is for.
public struct Period: Sendable, Hashable, Comparable, TextCodable {
    static let textFormat = "a period YYYY-MM"

    public let year: Int
    public let month: Int

    /// The month that contains `date` in `timeZone`.
    public init(containing date: Date, in timeZone: TimeZone) {
        let day = Day(containing: date, in: timeZone)
        self.init(year: day.year, month: day.month)!
    }

    /// Creates a period, or `nil` for a month outside 1…12 or a year outside 1…9999.
    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses exactly `YYYY-MM`.
    public init?(_ text: String) {
        guard text.utf8.count == 7, let first = Day(text + "-01") else { return nil }
        self.init(year: first.year, month: first.month)
    }

    public var description: String { "\(zeroPadded(year, 4))-\(zeroPadded(month, 2))" }

    public static func < (lhs: Period, rhs: Period) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }

    /// The first day of the month.
    public var firstDay: Day { Day(year: year, month: month, day: 1)! }

    /// The last day of the month: what "overdue" is measured against.
    public var lastDay: Day { Day(year: year, month: month, day: Day.daysIn(month: month, year: year))! }

    /// The month after (December → January of the next year).
    public var next: Period { month == 12 ? Period(year: year + 1, month: 1)! : Period(year: year, month: month + 1)! }

    /// Whether the month is over at `date` in `timeZone`: only then can it be reported on.
    public func hasEnded(at date: Date, in timeZone: TimeZone) -> Bool {
        self < Period(containing: date, in: timeZone)
    }

    /// The month before.
    public var previous: Period { month == 1 ? Period(year: year - 1, month: 12)! : Period(year: year, month: month - 1)! }
}
