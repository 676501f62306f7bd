import RectifyPostgres
import RectifyQueue
import RectifyTesting
import Testing

@Suite("Rescue of expired leases")
struct RescueGraceTests {
    @Test("a dead worker's expired lease is rescued at once; a live worker's is left for the grace, then rescued")
    func graceForLiveWorkers() async throws {
        let database = try await TestDatabase.fresh("rescuegrace")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let policy = RetryPolicy(base: .milliseconds(1), maximum: .milliseconds(1))
            _ = try await queue.enqueue([try JobRequest(kind: "noop"), try JobRequest(kind: "noop")])
            let jobs = try await queue.claim(queue: "default", kinds: ["noop"], limit: 2, workerID: "alive", lease: .milliseconds(50))
            try await pool.query("UPDATE rectify_jobs SET attempted_by = 'dead' WHERE id = \(jobs[1].id)")
            try await Task.sleep(for: .milliseconds(100))
            // "alive" heartbeats after its leases expired; "dead" was never seen again.
            try await queue.recordWorker(id: "alive", host: "h", pid: 1, queues: ["default"])
            // A grace far longer than the test: under the whole suite's load the steps above
            // have taken more than 2 s, and a 2-s grace then ran out before this rescue.
            #expect(try await queue.rescueExpired(retry: policy, grace: .seconds(60)) == RescueResult(retried: 1, discarded: 0))
            #expect(try await queue.job(id: jobs[0].id).state == .running, "the live worker's job waits for the grace")
            #expect(try await queue.job(id: jobs[1].id).state == .retryable, "the dead worker's job is rescued at once")
            #expect(try await queue.rescueExpired(retry: policy, grace: .milliseconds(10)) == RescueResult(retried: 1, discarded: 0))
            #expect(try await queue.job(id: jobs[0].id).state == .retryable, "after the grace it is rescued too")
        }
    }
}
