public import Foundation

/// A five-field cron expression (`minute hour day-of-month month day-of-week`) read in a time
/// zone, and the due times it names.
///
/// Each field is `*`, a number, a range `a-b`, a step `*/n` or `a-b/n` or `a/n`, or a comma list
/// of those. Day of week is 0–7, 0 and 7 both Sunday. When both day fields are restricted (neither
/// starts with `*`) a day matches if either does, as in Vixie cron; otherwise only the restricted
/// one counts.
///
/// Daylight saving time: a wall-clock time that a spring-forward gap skips is due at the instant
/// the gap ends (so a daily 02:30 job still runs on that day); a wall-clock time that a fall-back
/// repeats is due once, at its first occurrence.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written.
    public let text: String
    /// The zone its wall-clock times are read in.
    public let timeZone: TimeZone

    private let minutes: Set<Int>
    private let hours: Set<Int>
    private let days: Set<Int>
    private let months: Set<Int>
    private let weekdays: Set<Int>
    private let daysRestricted: Bool
    private let weekdaysRestricted: Bool

    public var description: String { "\(text) (\(timeZone.identifier))" }

    /// Parses an expression.
    ///
    /// - Throws: ``ScheduleError`` `.invalidCron` naming the field and what is wrong, e.g.
    ///   `hour: 24 is outside 0–23`, or that the day and month fields never meet (`30 2`).
    public init(_ text: String, timeZone: TimeZone) throws {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw ScheduleError(.invalidCron, "\"\(text)\" has \(fields.count) fields; a cron expression has 5 (minute hour day-of-month month day-of-week)")
        }
        self.text = fields.joined(separator: " ")
        self.timeZone = timeZone
        minutes = try Self.field(fields[0], name: "minute", 0...59)
        hours = try Self.field(fields[1], name: "hour", 0...23)
        days = try Self.field(fields[2], name: "day-of-month", 1...31)
        months = try Self.field(fields[3], name: "month", 1...12)
        weekdays = Set(try Self.field(fields[4], name: "day-of-week", 0...7).map { $0 % 7 })
        daysRestricted = !fields[2].hasPrefix("*")
        weekdaysRestricted = !fields[4].hasPrefix("*")
        if daysRestricted && !weekdaysRestricted
            && !months.contains(where: { month in days.contains { $0 <= Self.daysIn(month: month, year: 2000) } })
        {
            throw ScheduleError(.invalidCron, "\"\(text)\": day-of-month and month never meet")
        }
    }

    /// The first due time strictly after `date`, or `nil` if none falls within the next 400 years.
    public func next(after date: Date) -> Date? {
        var wall = WallTime(date, in: timeZone).plusOneMinute()
        while let candidate = nextMatch(from: wall) {
            let instant = candidate.instant(in: timeZone)
            if instant > date { return instant }
            // A repeated (fall-back) wall time whose first occurrence has passed.
            wall = candidate.plusOneMinute()
        }
        return nil
    }

    /// The due times in `(after, through]`, oldest first, keeping only the newest `limit`, and
    /// how many older ones were left out.
    public func dueTimes(after: Date, through: Date, limit: Int) -> (times: [Date], skipped: Int) {
        var times: [Date] = []
        var skipped = 0
        var cursor = after
        while let due = next(after: cursor), due <= through {
            times.append(due)
            if times.count > limit {
                times.removeFirst()
                skipped += 1
            }
            cursor = due
        }
        return (times, skipped)
    }

    /// The latest due time at or before `date`, searching back up to 400 days (in widening
    /// windows, so a frequent schedule is not walked through a whole year).
    public func latest(atOrBefore date: Date) -> Date? {
        for window: TimeInterval in [3600, 86_400, 32 * 86_400, 400 * 86_400] {
            if let due = dueTimes(after: date.addingTimeInterval(-window), through: date, limit: 1).times.last { return due }
        }
        return nil
    }

    /// The first wall time at or after `start` that matches every field.
    private func nextMatch(from start: WallTime) -> WallTime? {
        var t = start
        while t.year < start.year + 400 {
            guard months.contains(t.month) else {
                t = t.month == 12 ? WallTime(year: t.year + 1, month: 1, day: 1) : WallTime(year: t.year, month: t.month + 1, day: 1)
                continue
            }
            guard t.day <= Self.daysIn(month: t.month, year: t.year) else {
                t = t.month == 12 ? WallTime(year: t.year + 1, month: 1, day: 1) : WallTime(year: t.year, month: t.month + 1, day: 1)
                continue
            }
            guard dayMatches(t) else {
                t = t.nextDay()
                continue
            }
            guard hours.contains(t.hour) else {
                t = t.hour == 23 ? t.nextDay() : WallTime(year: t.year, month: t.month, day: t.day, hour: t.hour + 1)
                continue
            }
            guard let minute = minutes.filter({ $0 >= t.minute }).min() else {
                t = t.hour == 23 ? t.nextDay() : WallTime(year: t.year, month: t.month, day: t.day, hour: t.hour + 1)
                continue
            }
            t.minute = minute
            return t
        }
        return nil
    }

    private func dayMatches(_ t: WallTime) -> Bool {
        let dayOK = days.contains(t.day)
        let weekdayOK = weekdays.contains(t.weekday)
        switch (daysRestricted, weekdaysRestricted) {
        case (true, true): return dayOK || weekdayOK
        case (true, false): return dayOK
        case (false, true): return weekdayOK
        case (false, false): return true
        }
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// One field's values.
    private static func field(_ text: String, name: String, _ range: ClosedRange<Int>) throws -> Set<Int> {
        var values = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2, !pieces[0].isEmpty else { throw ScheduleError(.invalidCron, "\(name): \"\(part)\" is not a value, range or step") }
            var step = 1
            if pieces.count == 2 {
                guard let n = Int(pieces[1]), n > 0 else { throw ScheduleError(.invalidCron, "\(name): step \"\(pieces[1])\" is not a positive whole number") }
                step = n
            }
            let bounds: ClosedRange<Int>
            if pieces[0] == "*" {
                bounds = range
            } else {
                let ends = pieces[0].split(separator: "-", omittingEmptySubsequences: false)
                guard ends.count <= 2, let low = Int(ends[0]), let high = ends.count == 2 ? Int(ends[1]) : (pieces.count == 2 ? range.upperBound : low) else {
                    throw ScheduleError(.invalidCron, "\(name): \"\(part)\" is not a value, range or step")
                }
                for value in [low, high] where !range.contains(value) {
                    throw ScheduleError(.invalidCron, "\(name): \(value) is outside \(range.lowerBound)–\(range.upperBound)")
                }
                guard low <= high else { throw ScheduleError(.invalidCron, "\(name): range \(low)-\(high) runs backwards") }
                bounds = low...high
            }
            values.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return values
    }
}

/// A wall-clock minute in some time zone, as plain numbers.
private struct WallTime {
    var year: Int
    var month: Int
    var day: Int
    var hour = 0
    var minute = 0

    init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0) {
        (self.year, self.month, self.day, self.hour, self.minute) = (year, month, day, hour, minute)
    }

    init(_ date: Date, in zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        self.init(year: c.year!, month: c.month!, day: c.day!, hour: c.hour!, minute: c.minute!)
    }

    /// Days since 1970-01-01 of the date (proleptic Gregorian).
    var epochDay: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// 0 Sunday … 6 Saturday.
    var weekday: Int { ((epochDay % 7) + 7 + 4) % 7 }

    func nextDay() -> WallTime {
        if day < CronExpression.daysIn(month: month, year: year) { return WallTime(year: year, month: month, day: day + 1) }
        return month == 12 ? WallTime(year: year + 1, month: 1, day: 1) : WallTime(year: year, month: month + 1, day: 1)
    }

    func plusOneMinute() -> WallTime {
        if minute < 59 { return WallTime(year: year, month: month, day: day, hour: hour, minute: minute + 1) }
        if hour < 23 { return WallTime(year: year, month: month, day: day, hour: hour + 1) }
        return nextDay()
    }

    /// The instant this wall time names in `zone`: the earlier one when a fall-back repeats it,
    /// the end of the gap when a spring-forward skips it.
    func instant(in zone: TimeZone) -> Date {
        let local = TimeInterval(epochDay * 86_400 + hour * 3600 + minute * 60)
        let before = TimeInterval(zone.secondsFromGMT(for: Date(timeIntervalSince1970: local - 86_400)))
        let after = TimeInterval(zone.secondsFromGMT(for: Date(timeIntervalSince1970: local + 86_400)))
        let valid = [before, after]
            .map { Date(timeIntervalSince1970: local - $0) }
            .filter { TimeInterval(zone.secondsFromGMT(for: $0)) == local - $0.timeIntervalSince1970 }
        if let first = valid.min() { return first }
        let earliest = Date(timeIntervalSince1970: local - max(before, after))
        return zone.nextDaylightSavingTimeTransition(after: earliest.addingTimeInterval(-1)) ?? earliest
    }
}
