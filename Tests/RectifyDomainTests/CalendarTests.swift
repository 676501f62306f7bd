import Foundation
import RectifyDomain
import Testing

@Suite("Days and periods")
struct CalendarTests {
    @Test("only real days in YYYY-MM-DD parse", arguments: [
        ("2023-12-31", true), ("2024-02-29", true), ("2023-02-29", false), ("2023-02-30", false),
        ("2023-13-01", false), ("2023-1-01", false), ("2023-01-01T00:00", false), ("", false), ("２０２３-01-01", false),
    ])
    func parsing(text: String, valid: Bool) {
        #expect((Day(text) != nil) == valid)
        if valid { #expect(Day(text)?.description == text) }
    }

    @Test("a period knows its last day and the month after, across a year boundary")
    func periods() throws {
        let december = try #require(Period("2026-12"))
        #expect(december.lastDay == Day("2026-12-31"))
        #expect(december.next == Period("2027-01"))
        #expect(Period("2024-02")?.lastDay == Day("2024-02-29"))
        #expect(Period("2027-01")?.previous == december)
        #expect(Period("2026-13") == nil)
        #expect(Period("2026-1") == nil)
    }

    @Test("days between dates, for days overdue")
    func daysBetween() throws {
        let deadline = try #require(Day("2023-12-31"))
        #expect(deadline.days(until: try #require(Day("2024-03-01"))) == 61)
        #expect(try #require(Day("2024-03-01")).days(until: deadline) == -61)
    }
}

@Suite("Task status")
struct TaskStatusTests {
    @Test("offices move work forward; only the province accepts, rejects or closes")
    func transitions() {
        #expect(TaskStatus.notStarted.allows(.inProgress, by: .office))
        #expect(TaskStatus.inProgress.allows(.pendingAcceptance, by: .office))
        #expect(!TaskStatus.pendingAcceptance.allows(.accepted, by: .office))
        #expect(TaskStatus.pendingAcceptance.allows(.accepted, by: .province))
        #expect(TaskStatus.pendingAcceptance.allows(.inProgress, by: .province))
        #expect(!TaskStatus.accepted.allows(.closed, by: .office))
        #expect(TaskStatus.accepted.allows(.closed, by: .province))
        #expect(!TaskStatus.notStarted.allows(.closed, by: .province))
        #expect(!TaskStatus.closed.allows(.inProgress, by: .province))
        #expect(TaskStatus.inProgress.allows(.inProgress, by: .office))
    }
}

@Suite("Days and periods in JSON")
struct CalendarJSONTests {
    struct Deadline: Codable, Equatable { var deadline: Day; var period: Period }

    @Test("they travel as their text and reject impossible values by name")
    func roundTrip() throws {
        let json = #"{"deadline":"2023-12-31","period":"2026-11"}"#
        let decoded = try JSONDecoder().decode(Deadline.self, from: Data(json.utf8))
        #expect(decoded == Deadline(deadline: Day("2023-12-31")!, period: Period("2026-11")!))
        #expect(String(decoding: try JSONEncoder().encode(decoded.deadline), as: UTF8.self) == #""2023-12-31""#)
        let error = try #require(throws: DecodingError.self) {
            try JSONDecoder().decode(Deadline.self, from: Data(#"{"deadline":"2023-02-30","period":"2026-11"}"#.utf8))
        }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("expected dataCorrupted, got \(error)")
            return
        }
        #expect(context.debugDescription == #""2023-02-30" is not a date YYYY-MM-DD"#)
    }
}
