import Foundation
import RectifyDomain
import RectifySchedule
import Testing

@Suite("Which month is due")
struct DuePeriodTests {
    private func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    private func latestDue(at date: Date, _ configuration: SchedulerConfiguration) -> String {
        let entry = configuration.monthlyEntry
        return "\(MonthlyRun.period(due: entry.cron.latest(atOrBefore: date)!, in: entry.cron.timeZone))"
    }

    @Test("the month that just ended once the day and time have passed in the province's zone, else the one before", arguments: [
        ("2026-11-01T01:59:00+08:00", "2026-09"),  // a minute before 02:00 on the 1st in Shanghai
        ("2026-11-01T02:00:00+08:00", "2026-10"),
        ("2026-10-31T18:00:00Z", "2026-10"),        // 02:00 on 1 November in Shanghai, still October in UTC
        ("2026-11-23T12:00:00Z", "2026-10"),
        ("2027-01-01T03:00:00+08:00", "2026-12"),   // across a year end
    ])
    func latestDue(at text: String, expected: String) {
        #expect(latestDue(at: date(text), SchedulerConfiguration()) == expected)
    }

    @Test("a later day and another time zone move the firing time")
    func configured() {
        var configuration = SchedulerConfiguration()
        configuration.day = 5
        configuration.hour = 9
        configuration.minute = 30
        configuration.timeZone = TimeZone(identifier: "UTC")!
        #expect(configuration.monthlyEntry.cron.text == "30 9 5 * *")
        #expect(latestDue(at: date("2026-11-05T09:29:00Z"), configuration) == "2026-09")
        #expect(latestDue(at: date("2026-11-05T09:30:00Z"), configuration) == "2026-10")
    }
}
