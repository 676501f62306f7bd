import Foundation
import RectifyPostgres
import RectifyQueue
import RectifyTesting
import Testing

@Suite("Queue statements against a real server", .database)
struct QueueTests {
    @Test("at most one live job per unique key under concurrent enqueues")
    func uniqueKeys() async throws {
        let database = try await TestDatabase.fresh("unique")
        try await database.withPool(maxConnections: 8) { pool in
            let queue = JobQueue(pool: pool)
            let request = try JobRequest(kind: "monthly_schedule", argsJSON: #"{"period":"2026-10"}"#, uniqueKey: "monthly:2026-10")
            let outcomes = try await withThrowingTaskGroup(of: EnqueueOutcome.self) { group in
                for _ in 0..<16 { group.addTask { try await queue.enqueue(request) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.compactMap(\.insertedID).count == 1)
            #expect(outcomes.filter { $0 == .duplicate(uniqueKey: "monthly:2026-10") }.count == 15)
            #expect(try await pool.query("SELECT count(*) FROM rectify_jobs")[0].decode(Int.self, at: 0) == 1)
        }
    }

    @Test("a scheduled job is not claimed before its run_at, and is once promoted after")
    func scheduledJobs() async throws {
        let database = try await TestDatabase.fresh("scheduled")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let id = try #require(try await queue.enqueue(try JobRequest(kind: "noop", runAt: Date().addingTimeInterval(3600))).insertedID)
            #expect(try await queue.claim(queue: "default", kinds: ["noop"], limit: 10, workerID: "w", lease: .seconds(30)).isEmpty)
            #expect(try await queue.promoteDue() == 0)
            #expect(try await queue.stats()["default"]?.scheduled == 1)
            // Let the hour pass in the database rather than on the test's clock.
            try await pool.query("UPDATE rectify_jobs SET run_at = now() - interval '1 second' WHERE id = \(id)")
            #expect(try await queue.promoteDue() == 1)
            #expect(try await queue.claim(queue: "default", kinds: ["noop"], limit: 10, workerID: "w", lease: .seconds(30)).count == 1)
        }
    }

    @Test("claims follow priority, then run_at, and move the job to running with the next attempt")
    func priorities() async throws {
        let database = try await TestDatabase.fresh("priority")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let outcomes = try await queue.enqueue([
                try JobRequest(kind: "noop", priority: 5), try JobRequest(kind: "noop", priority: 1),
                try JobRequest(kind: "noop", queue: "reports", priority: 0),
            ])
            let claimed = try await queue.claim(queue: "default", kinds: ["noop"], limit: 1, workerID: "w1", lease: .seconds(30))
            #expect(claimed.map(\.id) == [outcomes[1].insertedID])
            #expect(claimed.first?.attempt == 1)
            let job = try await queue.job(id: try #require(claimed.first?.id))
            #expect(job.state == .running)
            #expect(job.attemptedBy == "w1")
        }
    }

    @Test("a failed attempt retries with growing backoff, then is discarded after max_attempts")
    func retryThenDiscard() async throws {
        let database = try await TestDatabase.fresh("retry")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let policy = RetryPolicy(base: .milliseconds(200), maximum: .seconds(60))
            let id = try #require(try await queue.enqueue(try JobRequest(kind: "noop", maxAttempts: 3)).insertedID)
            for attempt in 1...3 {
                let job = try #require(try await queue.claim(queue: "default", kinds: ["noop"], limit: 1, workerID: "w", lease: .seconds(30)).first)
                #expect(job.attempt == Int32(attempt))
                let record = JobErrorRecord(attempt: job.attempt, at: Date(), error: "boom \(attempt)", worker: "w")
                let state = try await queue.fail(job, error: record, retry: policy)
                let stored = try await queue.job(id: id)
                if attempt < 3 {
                    #expect(state == .retryable)
                    #expect(stored.state == .retryable)
                    _ = try await eventually(timeout: .seconds(10)) { try await queue.promoteDue() > 0 }
                } else {
                    #expect(state == .discarded)
                    #expect(stored.state == .discarded)
                    #expect(stored.errors.map(\.error) == ["boom 1", "boom 2", "boom 3"])
                }
            }
        }
    }

    @Test("the backoff doubles per attempt within ±10% jitter and stops at the maximum")
    func backoffBounds() async throws {
        let database = try await TestDatabase.fresh("backoff")
        try await database.withPool { pool in
            let rows = try await pool.query("""
                SELECT attempt, min(extract(epoch FROM rectify_retry_delay(attempt, 200, 60000)))::float8,
                       max(extract(epoch FROM rectify_retry_delay(attempt, 200, 60000)))::float8
                FROM generate_series(1, 20) AS attempt, generate_series(1, 200) AS sample
                GROUP BY attempt ORDER BY attempt
                """)
            for row in rows {
                let (attempt, low, high) = try row.decode((Int, Double, Double).self)
                let nominal = min(0.2 * pow(2, Double(attempt - 1)), 60)
                #expect(low >= nominal * 0.9 - 0.0001 && high <= nominal * 1.1 + 0.0001, "attempt \(attempt): \(low)…\(high)")
                #expect(high > low, "jitter spreads retries of attempt \(attempt)")
            }
        }
    }

    @Test("a stale lease can neither complete, fail nor heartbeat a job claimed again by another worker")
    func fencing() async throws {
        let database = try await TestDatabase.fresh("fencing")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let policy = RetryPolicy(base: .milliseconds(1), maximum: .milliseconds(1))
            _ = try await queue.enqueue(try JobRequest(kind: "noop"))
            let first = try #require(try await queue.claim(queue: "default", kinds: ["noop"], limit: 1, workerID: "a", lease: .milliseconds(50)).first)
            try await Task.sleep(for: .milliseconds(100))
            #expect(try await queue.rescueExpired(retry: policy) == RescueResult(retried: 1, discarded: 0))
            _ = try await eventually { try await queue.promoteDue() > 0 }
            let second = try #require(try await queue.claim(queue: "default", kinds: ["noop"], limit: 1, workerID: "b", lease: .seconds(30)).first)
            #expect(second.attempt == 2)

            #expect(try await queue.heartbeat([first.lease], lease: .seconds(30)).isEmpty)
            #expect(try await queue.complete([first.lease]).isEmpty)
            let staleFailure = JobErrorRecord(attempt: first.attempt, at: Date(), error: "late", worker: "a")
            #expect(try await queue.fail(first, error: staleFailure, retry: policy) == nil)
            let staleInTransaction = try await pool.transaction { try await JobQueue.complete(first.lease, on: $0) }
            #expect(staleInTransaction == false)

            #expect(try await queue.complete([second.lease]) == [second.lease])
            let job = try await queue.job(id: second.id)
            #expect(job.state == .completed)
            #expect(job.attemptedBy == "b")
            #expect(job.errors.count == 1, "the rescue is recorded as the first attempt's error")
        }
    }

    @Test("a job whose worker dies on every attempt is discarded, not rescued forever")
    func rescueCountsAttempts() async throws {
        let database = try await TestDatabase.fresh("rescue")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let policy = RetryPolicy(base: .milliseconds(1), maximum: .milliseconds(1))
            let id = try #require(try await queue.enqueue(try JobRequest(kind: "noop", maxAttempts: 2)).insertedID)
            for round in 1...2 {
                if round > 1 { _ = try await eventually { try await queue.promoteDue() > 0 } }
                _ = try await queue.claim(queue: "default", kinds: ["noop"], limit: 1, workerID: "crashy", lease: .milliseconds(10))
                try await Task.sleep(for: .milliseconds(30))
                _ = try await queue.rescueExpired(retry: policy)
            }
            let job = try await queue.job(id: id)
            #expect(job.state == .discarded)
            #expect(job.attempt == 2)
            #expect(job.errors.count == 2)
        }
    }

    @Test("operators retry a discarded job and discard a live one; completed jobs are not retried")
    func operatorActions() async throws {
        let database = try await TestDatabase.fresh("operators")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let id = try #require(try await queue.enqueue(try JobRequest(kind: "noop")).insertedID)
            #expect(try await queue.discard(id: id).state == .discarded)
            await #expect(throws: QueueError.self) { try await queue.discard(id: id) }
            #expect(try await queue.retry(id: id).state == .available)
            let claimed = try await queue.claim(queue: "default", kinds: ["noop"], limit: 1, workerID: "w", lease: .seconds(30))
            _ = try await queue.complete(claimed.map(\.lease))
            let error = try await #require(throws: QueueError.self) { try await queue.retry(id: id) }
            #expect(error.code == .invalidTransition)
            await #expect(throws: QueueError.self) { try await queue.job(id: 987_654) }
        }
    }

    @Test("enqueue inside the caller's transaction exists only if the caller commits")
    func transactionalEnqueue() async throws {
        struct Abort: Error {}
        let database = try await TestDatabase.fresh("txenqueue")
        try await database.withPool { pool in
            await #expect(throws: Abort.self) {
                try await pool.transaction { connection in
                    _ = try await JobQueue.enqueue([try JobRequest(kind: "noop")], on: connection)
                    throw Abort()
                }
            }
            #expect(try await JobQueue(pool: pool).stats().isEmpty)
            try await pool.transaction { connection in
                _ = try await JobQueue.enqueue([try JobRequest(kind: "noop")], on: connection)
            }
            #expect(try await JobQueue(pool: pool).stats()["default"]?.available == 1)
        }
    }

    @Test("a job enqueued along other statements is named by them, exists only if they all succeed, and wakes workers once committed and available")
    func enqueueAlong() async throws {
        let database = try await TestDatabase.fresh("alongenqueue")
        try await database.withPool { pool in
            let listener = try await PostgresListener.start(configuration: pool.configuration, channels: [JobQueue.notificationChannel])
            defer { listener.stop() }
            var wakeUps = listener.events.makeAsyncIterator()
            try await pool.query("CREATE TABLE receipts (submission text PRIMARY KEY, job bigint NOT NULL)")
            @Sendable func receipt(_ submission: String) -> PostgresQuery {
                "INSERT INTO receipts VALUES (\(submission), \(unescaped: JobQueue.enqueuedJobID)) RETURNING job"
            }
            let (jobID, results) = try await pool.withConnection {
                try await JobQueue.enqueue(try JobRequest(kind: "noop"), along: [receipt("s-1")], on: $0)
            }
            #expect(try results[0][0].decode(Int64.self, at: 0) == jobID)
            #expect(try await JobQueue(pool: pool).job(id: jobID).state == .available)

            await #expect(throws: PostgresError.self) {
                try await pool.withConnection { try await JobQueue.enqueue(try JobRequest(kind: "noop"), along: [receipt("s-1")], on: $0) }
            }
            #expect(try await JobQueue(pool: pool).stats()["default"]?.available == 1, "the second job was rolled back with its receipt")
            await #expect(throws: QueueError.self) {
                try await pool.withConnection {
                    try await JobQueue.enqueue(try JobRequest(kind: "noop", uniqueKey: "k"), along: [receipt("s-2")], on: $0)
                }
            }
            // A job that waits for its run_at wakes nobody.
            _ = try await pool.withConnection {
                try await JobQueue.enqueue(
                    try JobRequest(kind: "noop", queue: "later", runAt: Date().addingTimeInterval(3600)), along: [receipt("s-4")], on: $0)
            }
            // Inside the caller's transaction, the wake-up comes with its commit.
            try await pool.transaction { connection in
                _ = try await JobQueue.enqueue(try JobRequest(kind: "noop", queue: "inside"), along: [receipt("s-3")], on: connection)
            }
            // One wake-up per committed available job, none for the rolled-back or the scheduled one.
            for queue in ["default", "inside"] {
                #expect(await wakeUps.next() == .notification(PostgresNotification(channel: JobQueue.notificationChannel, payload: queue)))
            }
        }
    }

    @Test("bad enqueue requests name the field and write nothing")
    func badRequests() throws {
        #expect(throws: QueueError.self) { try JobRequest(kind: "") }
        let error = try #require(throws: QueueError.self) { try JobRequest(kind: "noop", argsJSON: "[1, 2]") }
        #expect(error.message == "args: must be a JSON object")
        #expect(throws: QueueError.self) { try JobRequest(kind: "noop", maxAttempts: 0) }
    }

    @Test("migrations run once even when several processes migrate at the same time")
    func concurrentMigrations() async throws {
        let database = try await TestDatabase.fresh("migrate")
        try await database.withPool(maxConnections: 8) { pool in
            try await pool.withConnection { connection in
                try await connection.execute(script: """
                    DROP TABLE rectify_jobs, rectify_finished_jobs, rectify_finished_counts, rectify_workers, rectify_paused_queues;
                    DROP FUNCTION rectify_retry_delay, rectify_enqueued_job_id, rectify_cover_finished_days, rectify_count_finished;
                    DELETE FROM rectify_schema_migrations;
                    """)
            }
            let applied = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<6 { group.addTask { try await QueueMigrations.migrator.migrate(pool, logger: TestLogging.logger).count } }
                return try await group.reduce(0, +)
            }
            let versions = QueueMigrations.migrator.migrations.count
            #expect(applied == versions, "each version is applied by exactly one of six concurrent migrations")
            #expect(try await pool.query("SELECT count(*) FROM rectify_schema_migrations")[0].decode(Int.self, at: 0) == versions)
        }
    }
}
