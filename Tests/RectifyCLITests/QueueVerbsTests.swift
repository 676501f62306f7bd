import Foundation
import RectifyTesting
import Testing

@Suite("rectify queue: list, bulk retry and discard, pause and resume", .processes)
struct QueueVerbsTests {
    @Test("enqueue refuses a kind no definition names, listing the known ones")
    func unknownKind() async throws {
        let database = try await TestDatabase.fresh("cliunknown")
        let result = try await RectifyProcess.run(["enqueue", "send_fax", "--args", "{}"], database: database.url)
        #expect(result.status != 0)
        #expect(result.output.contains(#"no job definition names kind "send_fax""#), "\(result.output)")
        #expect(result.output.contains("noop") && result.output.contains("monthly_schedule"), "\(result.output)")
        let list = try await RectifyProcess.run(["queue", "list", "--json"], database: database.url)
        #expect(list.output.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("[]"), "nothing was written: \(list.output)")
    }

    @Test("list and show print snake_case JSON; bulk discard and retry say how many jobs they touched")
    func listAndBulk() async throws {
        let database = try await TestDatabase.fresh("clibulk")
        for _ in 0..<3 {
            #expect(try await RectifyProcess.run(["enqueue", "noop", "--queue", "ops"], database: database.url).status == 0)
        }
        let listed = try await RectifyProcess.run(["queue", "list", "--queue", "ops", "--json"], database: database.url)
        let jsonLine = try #require(listed.output.split(separator: "\n").last { $0.hasPrefix("[") })
        let jobs = try #require(try JSONSerialization.jsonObject(with: Data(jsonLine.utf8)) as? [[String: Any]])
        #expect(jobs.count == 3)
        #expect(jobs.allSatisfy { $0["args_json"] as? String == "{}" && $0["max_attempts"] as? Int == 20 })
        let id = try #require(jobs.first?["id"] as? Int)
        let shown = try await RectifyProcess.run(["queue", "show", "\(id)", "--json"], database: database.url).output
        #expect(shown.contains(#""args_json""#) && shown.contains(#""created_at""#) && !shown.contains("argsJSON"), "\(shown)")
        let card = try await RectifyProcess.run(["queue", "show", "\(id)"], database: database.url).output
        #expect(card.contains("job \(id)  noop on ops  available") && card.contains("attempts  0 of 20") && card.contains("no errors"), "\(card)")

        let refused = try await RectifyProcess.run(["queue", "discard"], database: database.url)
        #expect(refused.status != 0)
        #expect(refused.output.contains("give a job id, or --state, --kind or --queue"), "\(refused.output)")
        let discarded = try await RectifyProcess.run(["queue", "discard", "--kind", "noop", "--queue", "ops"], database: database.url)
        #expect(discarded.output.contains("discarded 3 jobs"), "\(discarded.output)")
        let retried = try await RectifyProcess.run(["queue", "retry", "--state", "discarded"], database: database.url)
        #expect(retried.output.contains("retried 3 jobs"), "\(retried.output)")
        let human = try await RectifyProcess.run(["queue", "list", "--state", "available"], database: database.url).output
        #expect(human.split(separator: "\n").filter { $0.contains(" noop ") }.count == 3, "\(human)")
    }

    @Test("pause stops claiming across workers and shows in stats; resume lets the jobs run")
    func pauseResume() async throws {
        let database = try await TestDatabase.fresh("clipause")
        #expect(try await RectifyProcess.run(["queue", "pause", "default"], database: database.url).output.contains("queue default is paused"))
        #expect(try await RectifyProcess.run(["enqueue", "noop"], database: database.url).status == 0)
        #expect(try await RectifyProcess.run(["enqueue", "noop", "--queue", "other"], database: database.url).status == 0)
        let worker = try RectifyProcess(["work", "--poll", "0.1", "--queue", "default", "--queue", "other"], database: database.url)
        // The other queue's job completing shows the worker was claiming all along.
        #expect(try await eventually {
            try await RectifyProcess.run(["queue", "list", "--queue", "other", "--state", "completed", "--json"], database: database.url)
                .output.contains(#""kind":"noop""#)
        })
        let stats = try await RectifyProcess.run(["queue", "stats", "--json"], database: database.url).output
        #expect(stats.contains(#""available":1"#) && stats.contains(#""paused":true"#), "\(stats)")
        #expect(try await RectifyProcess.run(["queue", "stats"], database: database.url).output.contains("paused"))
        #expect(try await RectifyProcess.run(["queue", "resume", "default"], database: database.url).output.contains("queue default is resumed"))
        #expect(try await eventually {
            try await RectifyProcess.run(["queue", "stats", "--json"], database: database.url).output.contains(#""completed":1"#)
        })
        #expect(try await RectifyProcess.run(["queue", "stats", "--json"], database: database.url).output.contains(#""paused":false"#))
        worker.send(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
    }
}
