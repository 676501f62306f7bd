import Foundation
import RectifyPostgres
import RectifyQueue
import RectifyTesting
import Testing

@Suite("Rescue of expired leases", .database)
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
            // A grace no loaded machine outruns between the claim and this rescue.
            #expect(try await queue.rescueExpired(retry: policy, grace: .seconds(120)) == RescueResult(retried: 1, discarded: 0))
            #expect(try await queue.job(id: jobs[0].id).state == .running, "the live worker's job waits for the grace")
            #expect(try await queue.job(id: jobs[1].id).state == .retryable, "the dead worker's job is rescued at once")
            #expect(try await queue.rescueExpired(retry: policy, grace: .milliseconds(10)) == RescueResult(retried: 1, discarded: 0))
            #expect(try await queue.job(id: jobs[0].id).state == .retryable, "after the grace it is rescued too")
        }
    }

    @Test("a rescued job waits as its kind's retry policy says, others as the worker's")
    func kindPolicies() async throws {
        let database = try await TestDatabase.fresh("rescuekinds")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            _ = try await queue.enqueue([try JobRequest(kind: "monthly_schedule"), try JobRequest(kind: "noop")])
            let jobs = try await queue.claim(
                queue: "default", kinds: ["monthly_schedule", "noop"], limit: 2, workerID: "gone", lease: .milliseconds(10))
            try await Task.sleep(for: .milliseconds(50))
            let rescued = try await queue.rescueExpired(
                retry: RetryPolicy(base: .seconds(1), maximum: .seconds(1)),
                kindRetries: ["monthly_schedule": RetryPolicy(base: .seconds(3600), maximum: .seconds(3600))])
            #expect(rescued == RescueResult(retried: 2, discarded: 0))
            let waits = try await pool.query("""
                SELECT kind, extract(epoch FROM run_at - now())::float8 FROM rectify_jobs WHERE id = ANY(\(jobs.map(\.id))::int8[])
                """).map { try $0.decode((String, Double).self) }
            let byKind = Dictionary(uniqueKeysWithValues: waits)
            #expect(try #require(byKind["monthly_schedule"]) > 3000, "the kind's one-hour backoff, less its jitter")
            #expect(try #require(byKind["noop"]) < 2, "the worker's one-second backoff")
        }
    }
}
