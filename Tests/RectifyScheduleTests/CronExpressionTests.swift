import Foundation
import RectifySchedule
import Testing

@Suite("Cron expressions")
struct CronExpressionTests {
    private func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
    private func zone(_ name: String) -> TimeZone { TimeZone(identifier: name)! }

    @Test("the next due time, worked by hand", arguments: [
        // The monthly run's default: 02:00 on the 1st in Shanghai.
        ("0 2 1 * *", "Asia/Shanghai", "2026-10-15T00:00:00+08:00", "2026-11-01T02:00:00+08:00"),
        ("0 2 1 * *", "Asia/Shanghai", "2026-11-01T02:00:00+08:00", "2026-12-01T02:00:00+08:00"),  // strictly after
        // Weekday office hours every quarter hour: Friday evening runs on to Monday 09:00.
        ("*/15 9-17 * * 1-5", "UTC", "2026-11-27T17:50:00Z", "2026-11-30T09:00:00Z"),
        ("*/15 9-17 * * 1-5", "UTC", "2026-11-27T16:44:00Z", "2026-11-27T16:45:00Z"),
        // Month ends: the 31st skips months without one; 29 February waits for a leap year.
        ("0 0 31 * *", "UTC", "2026-04-01T00:00:00Z", "2026-05-31T00:00:00Z"),
        ("0 12 29 2 *", "UTC", "2026-03-01T00:00:00Z", "2028-02-29T12:00:00Z"),
        ("59 23 * * *", "UTC", "2026-12-31T23:59:00Z", "2027-01-01T23:59:00Z"),
        // Both day fields restricted: the 10th OR a Friday (6, 10 and 13 November 2026).
        ("0 0 10 * 5", "UTC", "2026-11-01T00:00:00Z", "2026-11-06T00:00:00Z"),
        ("0 0 10 * 5", "UTC", "2026-11-06T00:00:00Z", "2026-11-10T00:00:00Z"),
        ("0 0 10 * 5", "UTC", "2026-11-10T00:00:00Z", "2026-11-13T00:00:00Z"),
        // Only one day field restricted: the other (a step starting with *) does not widen it.
        ("0 0 10 * */1", "UTC", "2026-11-01T00:00:00Z", "2026-11-10T00:00:00Z"),
        // Sunday is 0 and 7; lists and ranges with steps.
        ("0 8 * * 7", "UTC", "2026-11-27T00:00:00Z", "2026-11-29T08:00:00Z"),
        ("5,35 0-6/3 * * *", "UTC", "2026-11-27T03:36:00Z", "2026-11-27T06:05:00Z"),
        ("0 0 1 1,7 *", "UTC", "2026-07-01T00:00:00Z", "2027-01-01T00:00:00Z"),
        // Spring forward in New York (8 March 2026, 02:00 EST -> 03:00 EDT): 02:30 does not
        // exist that day, so it is due when the gap ends; the next day it is 02:30 EDT again.
        ("30 2 * * *", "America/New_York", "2026-03-07T12:00:00-05:00", "2026-03-08T07:00:00Z"),
        ("30 2 * * *", "America/New_York", "2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"),
        // Fall back (1 November 2026, 02:00 EDT -> 01:00 EST): 01:30 comes twice, due once.
        ("30 1 * * *", "America/New_York", "2026-10-31T12:00:00-04:00", "2026-11-01T05:30:00Z"),
        ("30 1 * * *", "America/New_York", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"),
        // Hourly across the fall-back: the repeated 01:00 (06:00Z) is not due a second time.
        ("0 * * * *", "America/New_York", "2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z"),
    ])
    func next(cron: String, zone name: String, after: String, expected: String) throws {
        let expression = try CronExpression(cron, timeZone: zone(name))
        #expect(expression.next(after: date(after)) == date(expected), "\(cron) after \(after)")
    }

    @Test("a bad expression names the field and what is wrong", arguments: [
        ("* * * *", #""* * * *" has 4 fields; a cron expression has 5"#),
        ("60 * * * *", "minute: 60 is outside 0–59"),
        ("0 24 * * *", "hour: 24 is outside 0–23"),
        ("0 0 0 * *", "day-of-month: 0 is outside 1–31"),
        ("0 0 * 13 *", "month: 13 is outside 1–12"),
        ("0 0 * * 8", "day-of-week: 8 is outside 0–7"),
        ("5-1 * * * *", "minute: range 5-1 runs backwards"),
        ("*/0 * * * *", #"minute: step "0" is not a positive whole number"#),
        ("a * * * *", #"minute: "a" is not a value, range or step"#),
        ("0 0 30 2 *", "day-of-month and month never meet"),
    ])
    func invalid(cron: String, message: String) {
        #expect {
            try CronExpression(cron, timeZone: zone("UTC"))
        } throws: { error in
            (error as? ScheduleError)?.code == .invalidCron && "\(error)".contains(message)
        }
    }

    @Test("catching up keeps the newest missed due times up to the limit and counts the rest")
    func catchUp() throws {
        let hourly = try CronExpression("0 * * * *", timeZone: zone("UTC"))
        let (times, skipped) = hourly.dueTimes(after: date("2026-11-27T00:00:00Z"), through: date("2026-11-27T10:30:00Z"), limit: 3)
        #expect(times == [date("2026-11-27T08:00:00Z"), date("2026-11-27T09:00:00Z"), date("2026-11-27T10:00:00Z")])
        #expect(skipped == 7)
        #expect(hourly.latest(atOrBefore: date("2026-11-27T10:00:00Z")) == date("2026-11-27T10:00:00Z"))
    }
}
