import Foundation
import RectifyQueue
import RectifyTesting
import Testing

@Suite("rectify on the command line")
struct CommandLineTests {
    @Test("migrate, enqueue noop, work, and queue stats --json shows it completed")
    func endToEnd() async throws {
        let database = try await TestDatabase.fresh("cli")
        #expect(try await RectifyProcess.run(["migrate"], database: database.url).status == 0)
        let enqueued = try await RectifyProcess.run(["enqueue", "noop", "--args", "{}"], database: database.url)
        #expect(enqueued.status == 0)
        #expect(enqueued.output.contains("enqueued job"))
        let worker = try RectifyProcess(["work", "--poll", "0.1"], database: database.url)
        let completed = try await eventually {
            try await RectifyProcess.run(["queue", "stats", "--json"], database: database.url).output
                .contains(#""completed":1"#)
        }
        #expect(completed)
        worker.send(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
    }

    @Test("errors are one line on stderr with a non-zero exit", arguments: [
        (["queue", "stats", "--database-url", "postgresql://ops:pw@127.0.0.1:1/ledger"], "127.0.0.1:1/ledger"),
        (["queue", "stats", "--database-url", "postgresql://x@127.0.0.1:5432/db?sslmode=bogus"], "invalid sslmode value"),
        (["enqueue", "noop", "--args", "{not json"], "--args: not valid JSON"),
        (["enqueue", "noop", "--args", "[1]"], "--args: must be a JSON object"),
        (["queue", "retry", "424242"], "no job with id 424242"),
        (["queue", "discard", "424242"], "no job with id 424242"),
    ])
    func oneLineErrors(arguments: [String], expected: String) async throws {
        let database = try await TestDatabase.fresh("clierrors")
        let result = try await RectifyProcess.run(arguments, database: database.url)
        #expect(result.status != 0)
        let lines = result.output.split(separator: "\n").filter { !$0.hasPrefix("rectify: using") }
        #expect(lines.count == 1, "one line: \(result.output)")
        #expect(result.output.contains(expected), "\(result.output)")
        #expect(!result.output.contains(":pw@"), "never the password")
    }
}
