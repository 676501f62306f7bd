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

    @Test("days added across month and year ends, and a day's midnight in the province's zone")
    func addingDays() throws {
        #expect(try #require(Day("2024-02-27")).adding(days: 3) == Day("2024-03-01"))
        #expect(try #require(Day("2026-12-30")).adding(days: 7) == Day("2027-01-06"))
        #expect(try #require(Day("2027-01-06")).adding(days: -7) == Day("2026-12-30"))
        let shanghai = try #require(TimeZone(identifier: "Asia/Shanghai"))
        // Midnight in Shanghai is 16:00 UTC of the day before.
        #expect(try #require(Day("2026-12-07")).start(in: shanghai) == Date(timeIntervalSince1970: 1_796_601_600 - 8 * 3_600))
    }

    @Test("a public notice of N days ends at the end of its last day, the N-th after the acceptance's, in the province's zone")
    func publicNoticeInDays() throws {
        let shanghai = try #require(TimeZone(identifier: "Asia/Shanghai"))
        // Accepted at 23:30 on 2026-12-24 in Shanghai (15:30 UTC).
        let accepted = Date(timeIntervalSince1970: 1_798_126_200)
        #expect(Day(containing: accepted, in: shanghai) == Day("2026-12-24"))
        let end = PublicNoticeLength.days(7).end(openedAt: accepted, in: shanghai)
        #expect(end.lastDay == Day("2026-12-31"))
        #expect(end.at == Day("2027-01-01")?.start(in: shanghai))
        // Seven times 24 hours would have ended it at 23:30 on the last day, half an hour early.
        #expect(end.at.timeIntervalSince(accepted) == 7 * 86_400 + 1_800)
    }

    @Test("a notice of exact seconds (the test setting) ends that long after the acceptance")
    func publicNoticeExactly() throws {
        let utc = try #require(TimeZone(identifier: "UTC"))
        let accepted = Date(timeIntervalSince1970: 1_798_156_790)  // 2026-12-24 23:59:50 UTC
        let end = PublicNoticeLength.exactly(.seconds(30)).end(openedAt: accepted, in: utc)
        #expect(end.at == accepted.addingTimeInterval(30))
        #expect(end.lastDay == Day("2026-12-25"))
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

@Suite("Control characters")
struct ControlCharacterTests {
    @Test("the rule finds exactly Unicode's control characters (Cc), sparing tab, LF and CR in free text")
    func exactlyCc() {
        let wrong = Self.scalars(after: "a") { scalar, text in
            let isControl = scalar.properties.generalCategory == .control
            let spared = scalar == "\t" || scalar == "\n" || scalar == "\r"
            return ControlCharacters.contained(in: text) != isControl
                || ControlCharacters.contained(in: text, lineBreaks: true) != (isControl && !spared)
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(20))")
    }

    @Test("blank text is what Foundation trims to nothing: Unicode's whitespace, line breaks included")
    func blank() {
        let wrong = Self.scalars(after: " ") { _, text in
            text.isBlank != text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(20))")
        #expect("".isBlank && "\t\n\u{3000}".isBlank && !"a".isBlank && !" 办".isBlank)
    }

    /// Every Unicode scalar, as U+XXXX, for which `differs` holds of it and of `prefix`
    /// followed by it.
    private static func scalars(after prefix: String, where differs: (Unicode.Scalar, String) -> Bool) -> [String] {
        (UInt32(0)...0x10FFFF).compactMap { value in
            guard let scalar = Unicode.Scalar(value) else { return nil }
            var text = prefix
            text.unicodeScalars.append(scalar)
            return differs(scalar, text) ? "U+" + String(value, radix: 16, uppercase: true) : nil
        }
    }
}
