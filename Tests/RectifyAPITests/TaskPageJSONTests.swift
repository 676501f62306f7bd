import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import RectifyAPI
import RectifyLedger
import RectifyPostgres
import RectifyProgress
import RectifyTesting
import Testing

@Suite("The task page's JSON, written by PostgreSQL", .database)
struct TaskPageJSONTests {
    @Test("a page holds the same values JSONEncoder writes for the task, with quotes, backslashes, control characters and CJK kept; next_after and an empty page")
    func sameAsEncoder() async throws {
        let database = try await TestDatabase.fresh("apijsontext")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            let awkward = "整改 \\ \"dust\"\nsources\t\u{1}\u{8}end / 单位"
            try await pool.query("UPDATE rectify_tasks SET title = \(awkward) WHERE id = 'CEI2-HE-001'")
            let directory = TaskDirectory(pool: pool, timeZone: APIFixture.settings().timeZone)
            try await APIFixture.withClient(pool) { client in
                let response = try await client.send(.get, "/v1/tasks?limit=2", token: fixture.province.token)
                let text = String(buffer: response.body)
                #expect(text.hasPrefix(#"{"next_after":null,"tasks":[{"category":"#), "compact, keys sorted: \(text)")
                let page = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
                let listed = try #require(page["tasks"] as? [[String: Any]])
                try #require(listed.count == 2)
                #expect(listed[0]["title"] as? String == awkward)
                #expect(listed[0]["closed_on"] is NSNull, "an open task says closed_on null rather than leaving it out")
                #expect(listed[1]["closed_on"] is String, "the sample's second task is closed")

                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                for (index, id) in ["CEI2-HE-001", "CEI2-HE-002"].enumerated() {
                    let summary = try await directory.task(id).task
                    let expected = try #require(try JSONSerialization.jsonObject(with: try encoder.encode(summary)) as? NSDictionary)
                    // JSONEncoder leaves a nil closed_on out; compare the rest.
                    #expect(NSDictionary(dictionary: listed[index].filter { !($0.value is NSNull) }) == expected, "\(id)")
                }

                let first = String(buffer: try await client.send(.get, "/v1/tasks?limit=1", token: fixture.province.token).body)
                #expect(first.hasPrefix(#"{"next_after":"CEI2-HE-001","tasks":[{"#) && first.hasSuffix("}]}"), "\(first)")
                let beyond = try await client.send(.get, "/v1/tasks?after=ZZZ", token: fixture.province.token)
                #expect(String(buffer: beyond.body) == #"{"next_after":null,"tasks":[]}"#)
            }
        }
    }
}
