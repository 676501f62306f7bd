import Foundation
import RectifyPostgres
import RectifyQueue
import RectifyTesting
import RectifyWorker
import Synchronization
import Testing

/// Leases renewed while jobs run, and what happens when one is lost.
@Suite("Leases and heartbeats", .database)
struct LeaseTests {
    struct Effect: Codable, Sendable { var n: Int; var sleepMs: Int? }

    /// A worker with a short lease and frequent heartbeats.
    static func fastConfiguration(lease: Duration = .milliseconds(600)) -> WorkerConfiguration {
        var configuration = WorkerConfiguration()
        configuration.lease = lease
        configuration.heartbeatInterval = lease / 4
        configuration.pollInterval = .milliseconds(50)
        configuration.promoteInterval = .milliseconds(50)
        configuration.rescueInterval = .milliseconds(100)
        configuration.pruneInterval = .milliseconds(200)
        configuration.retry = RetryPolicy(base: .milliseconds(50), maximum: .milliseconds(100))
        configuration.shutdownGracePeriod = .seconds(2)
        return configuration
    }

    @Test("a repeatable-read job whose run spans several heartbeats completes on its first attempt")
    func repeatableReadAcrossHeartbeats() async throws {
        let database = try await TestDatabase.fresh("rrheartbeat")
        try await database.withPool { pool in
            try await pool.query("CREATE TABLE effects (job_id bigint NOT NULL, n int NOT NULL)")
            let queue = JobQueue(pool: pool)
            // Leases of 2 s: the job must outlive heartbeats, and a loaded machine must not delay
            // one long enough (two leases) for the job to be rescued.
            let configuration = Self.fastConfiguration(lease: .seconds(2))
            var registry = JobRegistry()
            // The shape of the report jobs: one snapshot, reads, a pause longer than the
            // heartbeat, a write, then the completion in the same transaction.
            registry.register("snapshot_report", args: Effect.self, isolation: .repeatableRead) { args, connection, context in
                _ = try await connection.query("SELECT count(*) FROM rectify_jobs")
                try await Task.sleep(for: configuration.heartbeatInterval * 3)
                try await connection.query("INSERT INTO effects VALUES (\(context.job.id), \(args.n))")
            }
            let id = try #require(try await queue.enqueue(try JobRequest(kind: "snapshot_report", args: Effect(n: 1))).insertedID)
            let worker = Worker(pool: pool, registry: registry, configuration: configuration, logger: TestLogging.logger)
            #expect(try await runWorkers([worker]) { try await queue.job(id: id).state.isFinished })
            let job = try await queue.job(id: id)
            #expect(job.state == .completed)
            #expect(job.attempt == 1, "failed attempts: \(job.errors.map(\.error))")
            #expect(try await pool.query("SELECT count(*) FROM effects")[0].decode(Int.self, at: 0) == 1)
        }
    }

    @Test("an operator discarding a running job cancels its handler, in or out of a transaction")
    func discardCancelsHandler() async throws {
        let database = try await TestDatabase.fresh("discardcancel")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let started = Atomic<Int>(0)
            let cancelled = Atomic<Int>(0)
            var registry = JobRegistry()
            registry.register("sleepy", args: Effect.self) { _, _ in
                started.add(1, ordering: .relaxed)
                do { try await Task.sleep(for: .seconds(60)) } catch { cancelled.add(1, ordering: .relaxed); throw error }
            }
            registry.register("sleepy_tx", args: Effect.self) { _, connection, _ in
                started.add(1, ordering: .relaxed)
                do { try await Task.sleep(for: .seconds(60)) } catch { cancelled.add(1, ordering: .relaxed); throw error }
                try await connection.query("SELECT 1")
            }
            let plain = try #require(try await queue.enqueue(try JobRequest(kind: "sleepy", args: Effect(n: 1))).insertedID)
            let inTransaction = try #require(try await queue.enqueue(try JobRequest(kind: "sleepy_tx", args: Effect(n: 2))).insertedID)
            // A lease of four minutes, heartbeats every minute: no rescue restarts the handlers
            // under a loaded suite, and no heartbeat finds the discarded jobs gone within the
            // test, so only the discard's notification can cancel them.
            let worker = Worker(
                pool: pool, registry: registry, configuration: Self.fastConfiguration(lease: .seconds(240)), logger: TestLogging.logger)
            let handlersStopped = try await runWorkers([worker], timeout: .seconds(20)) {
                // Both handlers running, the transactional one holding its job's row.
                guard started.load(ordering: .relaxed) == 2 else { return false }
                try await queue.discard(id: plain)
                try await queue.discard(id: inTransaction)
                return try await eventually(timeout: .seconds(10)) { cancelled.load(ordering: .relaxed) == 2 }
            }
            #expect(handlersStopped, "handlers cancelled: \(cancelled.load(ordering: .relaxed)) of 2")
            #expect(try await queue.job(id: plain).state == .discarded)
            #expect(try await queue.job(id: inTransaction).state == .discarded)
        }
    }

    @Test("a handler whose lease was rescued by another worker is cancelled")
    func lostLeaseCancelsHandler() async throws {
        let database = try await TestDatabase.fresh("lostlease")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let started = Atomic<Int>(0)
            let cancelled = Atomic<Int>(0)
            var registry = JobRegistry()
            registry.register("sleepy", args: Effect.self) { _, context in
                guard context.job.attempt == 1 else { return }
                started.add(1, ordering: .relaxed)
                do { try await Task.sleep(for: .seconds(60)) } catch { cancelled.add(1, ordering: .relaxed); throw error }
            }
            let id = try #require(try await queue.enqueue(try JobRequest(kind: "sleepy", args: Effect(n: 1))).insertedID)
            let worker = Worker(pool: pool, registry: registry, configuration: Self.fastConfiguration(), logger: TestLogging.logger)
            let done = try await runWorkers([worker], timeout: .seconds(20)) {
                guard started.load(ordering: .relaxed) == 1 else { return false }
                // What the rescuer does to a lease it believes expired.
                try await pool.query("UPDATE rectify_jobs SET state = 'available', lease_expires_at = NULL WHERE id = \(id)")
                return try await eventually(timeout: .seconds(10)) {
                    try await queue.job(id: id).state == .completed && cancelled.load(ordering: .relaxed) == 1
                }
            }
            let state = try await queue.job(id: id).state
            #expect(done, "cancelled: \(cancelled.load(ordering: .relaxed)), state: \(state)")
        }
    }

    @Test("heartbeats keep leases while transactional handlers hold every pooled connection")
    func heartbeatsNotStarved() async throws {
        let database = try await TestDatabase.fresh("starved")
        try await database.withPool(maxConnections: 2) { pool in
            try await pool.query("CREATE TABLE effects (job_id bigint NOT NULL, n int NOT NULL)")
            let queue = JobQueue(pool: pool)
            // Three rounds of two handlers: the last round waits for a connection twice as long
            // as a lease, which without heartbeats would have its jobs rescued.
            // Leases of 5 s: a fully loaded test run may stall a heartbeat for seconds, not for a lease.
            let lease = Duration.milliseconds(5000)
            var registry = JobRegistry()
            registry.register("hold", args: Effect.self) { args, connection, context in
                try await Task.sleep(for: lease * 1.2)
                try await connection.query("INSERT INTO effects VALUES (\(context.job.id), \(args.n))")
            }
            let ids = try await queue.enqueue(try (0..<6).map { try JobRequest(kind: "hold", args: Effect(n: $0)) }).compactMap(\.insertedID)
            var busy = Self.fastConfiguration(lease: lease)
            busy.queues = ["default": 6]
            busy.heartbeatInterval = .milliseconds(200)
            let worker = Worker(pool: pool, registry: registry, configuration: busy, logger: TestLogging.logger)
            // A second worker on its own pool, working another queue: it rescues any lease that runs out.
            try await database.withPool { otherPool in
                var idle = Self.fastConfiguration(lease: lease)
                idle.queues = ["elsewhere": 1]
                let rescuer = Worker(pool: otherPool, registry: registry, configuration: idle, logger: TestLogging.logger)
                let drained = try await runWorkers([worker, rescuer], timeout: .seconds(60)) {
                    try await otherPool.query("SELECT count(*) FROM rectify_jobs")[0].decode(Int.self, at: 0) == 0
                }
                #expect(drained)
                for id in ids {
                    let job = try await queue.job(id: id)
                    #expect(job.state == .completed && job.attempt == 1, "job \(id): \(job.state) attempt \(job.attempt) \(job.errors.map(\.error))")
                }
                #expect(try await otherPool.query("SELECT count(*), count(DISTINCT job_id) FROM effects")[0].decode((Int, Int).self) == (6, 6))
            }
        }
    }
}
