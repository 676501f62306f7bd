import Foundation
@testable import RectifyAPI
import RectifyProgress
import Testing

@Suite("The hand-written JSON of a task page")
struct JSONTextTests {
    @Test("parses to the same values JSONEncoder writes, with quotes, backslashes, control characters and CJK escaped or kept")
    func sameAsEncoder() throws {
        let awkward = TaskDirectory.Summary(
            id: "T-\"1\"", title: "整改 \\ dust\nsources\t\u{1}end", round: "R", category: "air", region: "130100",
            regionName: "石家庄市", leadUnit: "U", leadUnitName: "Unit / 单位", deadline: "2026-12-31", status: "in_progress",
            progress: 40, closedOn: nil, overdue: true)
        var closed = awkward
        closed.closedOn = "2026-11-01"
        closed.overdue = false
        let text = JSONText.taskPage([awkward, closed], nextAfter: "T-2")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let tasks = try #require(parsed["tasks"] as? [[String: Any]])
        #expect(tasks[0]["closed_on"] is NSNull, "an open task says closed_on null rather than leaving it out")
        // JSONEncoder leaves a nil closed_on out; compare the rest.
        let comparable: NSDictionary = [
            "next_after": parsed["next_after"] as Any,
            "tasks": tasks.map { $0.filter { !($0.value is NSNull) } },
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        struct Page: Encodable {
            var tasks: [TaskDirectory.Summary]
            var next_after: String?
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode(tasks, forKey: .tasks)
                try container.encode(next_after, forKey: .next_after)
            }
            enum Keys: String, CodingKey { case tasks, next_after }
        }
        let expected = try #require(
            try JSONSerialization.jsonObject(with: try encoder.encode(Page(tasks: [awkward, closed], next_after: "T-2"))) as? NSDictionary)
        #expect(comparable == expected)
        #expect(JSONText.taskPage([], nextAfter: nil) == #"{"next_after":null,"tasks":[]}"#)
    }
}
