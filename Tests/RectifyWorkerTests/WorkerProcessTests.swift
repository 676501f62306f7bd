import Foundation
import RectifyPostgres
import RectifyQueue
import RectifyTesting
import Testing

/// Real `rectify work` processes, killed, paused and stopped with signals.
@Suite("Worker processes under signals", .processes)
struct WorkerProcessTests {
    private static let fastWorker = ["work", "--lease", "1", "--heartbeat", "0.3", "--rescue-interval", "0.2",
                                     "--promote-interval", "0.1", "--retry-base", "0.05", "--poll", "0.2", "--log-level", "info"]

    private func waitUntilRunning(_ queue: JobQueue, _ id: Int64) async throws -> Job {
        #expect(try await eventually { try await queue.job(id: id).state == .running })
        return try await queue.job(id: id)
    }

    @Test("a worker killed with SIGKILL mid-job has its job rescued and run again")
    func sigkillRescue() async throws {
        let database = try await TestDatabase.fresh("sigkill")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let id = try #require(try await queue.enqueue(try JobRequest(kind: "noop", argsJSON: #"{"sleep_ms": 60000}"#)).insertedID)
            let doomed = try RectifyProcess(Self.fastWorker + ["--worker-id", "doomed"], database: database.url)
            _ = try await waitUntilRunning(queue, id)
            doomed.send(SIGKILL)
            #expect(try await doomed.waitForExit() == 128 + SIGKILL)
            try await pool.query("UPDATE rectify_jobs SET args = '{\"sleep_ms\": 10}' WHERE id = \(id)")

            let rescuer = try RectifyProcess(Self.fastWorker + ["--worker-id", "rescuer"], database: database.url)
            #expect(try await eventually { try await queue.job(id: id).state == .completed })
            rescuer.send(SIGTERM)
            #expect(try await rescuer.waitForExit() == 0)
            let job = try await queue.job(id: id)
            #expect(job.attempt == 2, "the killed run counts as an attempt")
            #expect(job.attemptedBy == "rescuer")
            #expect(job.errors.first?.worker == "doomed")
        }
    }

    @Test("a paused worker (SIGSTOP past its lease, then SIGCONT) cannot complete a job someone else took over")
    func sigstopFencing() async throws {
        let database = try await TestDatabase.fresh("sigstop")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            // Long enough that the paused worker cannot finish it however late the signal lands;
            // the worker that takes it over runs it short.
            let id = try #require(try await queue.enqueue(try JobRequest(kind: "noop", argsJSON: #"{"sleep_ms": 60000}"#)).insertedID)
            let paused = try RectifyProcess(Self.fastWorker + ["--worker-id", "paused"], database: database.url)
            _ = try await waitUntilRunning(queue, id)
            paused.send(SIGSTOP)
            try await pool.query("UPDATE rectify_jobs SET args = '{\"sleep_ms\": 10}' WHERE id = \(id)")

            let other = try RectifyProcess(Self.fastWorker + ["--worker-id", "other"], database: database.url)
            #expect(try await eventually { try await queue.job(id: id).state == .completed })
            other.send(SIGTERM)
            #expect(try await other.waitForExit() == 0)

            paused.send(SIGCONT)
            #expect(try await eventually { paused.output.contains("completion was refused") || paused.output.contains("lost the lease") })
            paused.send(SIGTERM)
            #expect(try await paused.waitForExit() == 0)
            let job = try await queue.job(id: id)
            #expect(job.state == .completed)
            #expect(job.attemptedBy == "other")
            #expect(job.attempt == 2)
            #expect(try await pool.query("SELECT count(*) FROM rectify_finished_jobs")[0].decode(Int.self, at: 0) == 1)
        }
    }

    @Test("graceful shutdown returns an unfinished job to the queue without spending an attempt, and exits 0")
    func gracefulShutdown() async throws {
        let database = try await TestDatabase.fresh("graceful")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let long = try #require(try await queue.enqueue(try JobRequest(kind: "noop", argsJSON: #"{"sleep_ms": 60000}"#)).insertedID)
            // Long enough to be seen running on a loaded machine (it is looked for first: a 2-s job
            // once ended while a CI run's loaded test cluster answered the look for the other),
            // short enough to end within the grace.
            let short = try #require(try await queue.enqueue(try JobRequest(kind: "noop", argsJSON: #"{"sleep_ms": 4000}"#)).insertedID)
            // Leases of 30 s: the shutdown is under test, not the rescue, which a heartbeat missed
            // under a loaded suite started on the 1-s leases of the other tests here.
            let worker = try RectifyProcess(
                ["work", "--lease", "30", "--heartbeat", "10", "--poll", "0.2", "--log-level", "info", "--grace", "8"],
                database: database.url)
            _ = try await waitUntilRunning(queue, short)
            _ = try await waitUntilRunning(queue, long)
            worker.send(SIGTERM)
            #expect(try await worker.waitForExit() == 0)
            #expect(try await queue.job(id: short).state == .completed, "a job that ends within the grace period finishes")
            let returned = try await queue.job(id: long)
            #expect(returned.state == .available)
            #expect(returned.maxAttempts == 21, "the interrupted attempt is given back")
            #expect(worker.output.contains("returned unfinished jobs to the queue"))
        }
    }
}
