import Foundation
import RectifyPostgres
import RectifyQueue
import RectifyTesting
import Testing

/// Long jobs and timeouts through a real `rectify work` process, with no other fault around.
@Suite("Fault suite: long jobs and timeouts", .wholeMachine)
struct QuietFaultTests {
    @Test("jobs three leases long keep their lease through heartbeats; a job over its timeout is cancelled and retried")
    func longJobsAndTimeouts() async throws {
        let database = try await TestDatabase.fresh("faultquiet")
        try await database.withPool { pool in
            try await pool.query("""
                CREATE TABLE rectify_fault_effects (
                    key text NOT NULL, job_id bigint NOT NULL, attempt integer NOT NULL, worker text NOT NULL,
                    at timestamptz NOT NULL DEFAULT clock_timestamp())
                """)
            let queue = JobQueue(pool: pool)
            let ids = try await queue.enqueue([
                try JobRequest(kind: "fault_effect", argsJSON: #"{"key": "long-tx", "sleep_ms": 3500}"#),
                try JobRequest(kind: "fault_sleep", argsJSON: #"{"sleep_ms": 3500}"#),
                try JobRequest(kind: "fault_sleep", argsJSON: #"{"sleep_ms": 60000}"#, maxAttempts: 2, timeout: .milliseconds(700)),
                try JobRequest(kind: "fault_effect", argsJSON: #"{"key": "late", "sleep_ms": 60000}"#, maxAttempts: 2,
                               timeout: .milliseconds(700)),
            ]).compactMap(\.insertedID)
            let worker = try RectifyProcess(
                ["work", "--lease", "1", "--heartbeat", "0.25", "--rescue-interval", "0.2", "--retry-base", "0.1",
                 "--poll", "0.2", "--log-level", "info"],
                database: database.url, program: .faultWorker)
            let done = try await eventually(timeout: .seconds(40)) {
                for id in ids where !(try await queue.job(id: id).state.isFinished) { return false }
                return true
            }
            #expect(done, "\(worker.output.suffix(1000))")
            worker.send(SIGTERM)
            #expect(try await worker.waitForExit() == 0)
            for id in ids[0..<2] {
                let job = try await queue.job(id: id)
                #expect(job.state == .completed && job.attempt == 1, "long job \(id): \(job.state), attempt \(job.attempt)")
            }
            for id in ids[2..<4] {
                let job = try await queue.job(id: id)
                #expect(job.state == .discarded && job.attempt == 2, "timeout job \(id): \(job.state), attempt \(job.attempt)")
                #expect(job.errors.count == 2 && job.errors.allSatisfy { $0.error.contains("timed out after") })
            }
            let effects = try await pool.query("SELECT key FROM rectify_fault_effects ORDER BY key").map { try $0.decode(String.self, at: 0) }
            #expect(effects == ["long-tx"])
        }
    }

    @Test("the shipped rectify's worker does not know the fault kinds and leaves their jobs alone")
    func faultKindsAreGated() async throws {
        let database = try await TestDatabase.fresh("faultgate")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let id = try #require(try await queue.enqueue(try JobRequest(kind: "fault_fail", maxAttempts: 1)).insertedID)
            let noop = try #require(try await queue.enqueue(try JobRequest(kind: "noop", priority: 1)).insertedID)
            let worker = try RectifyProcess(["work", "--poll", "0.2"], database: database.url)
            // The noop sorts after the fault job: once it completed, the worker had passed the fault job by.
            #expect(try await eventually { try await queue.job(id: noop).state == .completed })
            worker.send(SIGTERM)
            #expect(try await worker.waitForExit() == 0)
            let job = try await queue.job(id: id)
            #expect(job.state == .available && job.attempt == 0)
        }
    }
}
