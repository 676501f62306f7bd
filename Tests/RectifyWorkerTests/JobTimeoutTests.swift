import Foundation
import RectifyPostgres
import RectifyQueue
import RectifyTesting
import RectifyWorker
import Synchronization
import Testing

/// A handler that runs past its timeout is cancelled and its attempt counted as failed.
@Suite("Job timeouts", .database)
struct JobTimeoutTests {
    struct Hang: Codable, Sendable { var n: Int }

    @Test("a hung handler is cancelled at its kind's timeout, or its job's own, and retried as a failed attempt")
    func timeoutRetries() async throws {
        let database = try await TestDatabase.fresh("jobtimeout")
        try await database.withPool { pool in
            try await pool.query("CREATE TABLE effects (job_id bigint NOT NULL)")
            let queue = JobQueue(pool: pool)
            let cancelled = Atomic<Int>(0)
            var registry = JobRegistry()
            registry.register("hang", args: Hang.self, timeout: .milliseconds(300)) { _, _ in
                do { try await Task.sleep(for: .seconds(3600)) } catch { cancelled.add(1, ordering: .relaxed); throw error }
            }
            registry.register("hang_tx", args: Hang.self) { _, connection, context in
                try await connection.query("INSERT INTO effects VALUES (\(context.job.id))")
                try await connection.query("SELECT pg_sleep(3600)")
            }
            let byKind = try #require(try await queue.enqueue(try JobRequest(kind: "hang", args: Hang(n: 1), maxAttempts: 2)).insertedID)
            let byJob = try #require(try await queue.enqueue(
                try JobRequest(kind: "hang_tx", args: Hang(n: 2), maxAttempts: 2, timeout: .milliseconds(400))).insertedID)
            // Leases far longer than the timeouts: a heartbeat delayed on a loaded machine must
            // not turn a timed-out attempt into a rescued one.
            let configuration = LeaseTests.fastConfiguration(lease: .seconds(3))
            let worker = Worker(pool: pool, registry: registry, configuration: configuration, logger: TestLogging.logger)
            let finished = try await runWorkers([worker], timeout: .seconds(30)) {
                let first = try await queue.job(id: byKind).state.isFinished
                let second = try await queue.job(id: byJob).state.isFinished
                return first && second
            }
            #expect(finished)
            for id in [byKind, byJob] {
                let job = try await queue.job(id: id)
                #expect(job.state == .discarded)
                #expect(job.attempt == 2)
                #expect(job.errors.count == 2 && job.errors.allSatisfy { $0.error.contains("timed out after") }, "\(job.errors.map(\.error))")
            }
            #expect(cancelled.load(ordering: .relaxed) == 2)
            #expect(try await pool.query("SELECT count(*) FROM effects")[0].decode(Int.self, at: 0) == 0,
                    "a timed-out transaction rolls back its writes")
        }
    }
}
