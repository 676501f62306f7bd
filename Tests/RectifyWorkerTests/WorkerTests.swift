import Logging
import RectifyPostgres
import RectifyQueue
import RectifyTesting
import RectifyWorker
import Synchronization
import Testing

@Suite("Workers running jobs", .database)
struct WorkerTests {
    struct Effect: Codable, Sendable { var n: Int }

    @Test("4 concurrent workers × 10,000 jobs: every job completed exactly once, checked in the database")
    func exactlyOnce() async throws {
        let database = try await TestDatabase.fresh("exactlyonce")
        let pools = (0..<4).map { _ in
            var settings = PostgresPoolConfiguration()
            settings.maxConnections = 12
            return PostgresPool(configuration: database.configuration, poolConfiguration: settings, logger: TestLogging.logger)
        }
        let pool = pools[0]
        try await pool.query("CREATE TABLE effects (job_id bigint PRIMARY KEY, n int NOT NULL)")
        let queue = JobQueue(pool: pool)
        _ = try await queue.enqueue(try (0..<10_000).map { try JobRequest(kind: "record", args: Effect(n: $0)) })

        var registry = JobRegistry()
        registry.register("record", args: Effect.self) { args, connection, context in
            try await connection.query("INSERT INTO effects VALUES (\(context.job.id), \(args.n))")
        }
        var configuration = WorkerConfiguration()
        configuration.queues = ["default": 10]
        let workers = pools.map { Worker(pool: $0, registry: registry, configuration: configuration, logger: TestLogging.logger) }
        let drained = try await runWorkers(workers, timeout: .seconds(120)) {
            try await pool.query("SELECT count(*) FROM rectify_jobs")[0].decode(Int.self, at: 0) == 0
        }
        #expect(drained)
        let row = try await pool.query("""
            SELECT (SELECT count(*) FROM effects), (SELECT count(DISTINCT n) FROM effects),
                   (SELECT count(*) FROM rectify_finished_jobs WHERE state = 'completed'),
                   (SELECT count(DISTINCT attempted_by) FROM rectify_finished_jobs)
            """)[0]
        let (effects, distinct, completed, workersUsed) = try row.decode((Int, Int, Int, Int).self)
        #expect(effects == 10_000)
        #expect(distinct == 10_000)
        #expect(completed == 10_000)
        #expect(workersUsed == 4, "all four workers took part")
        for pool in pools { await pool.close() }
    }

    @Test("while completions cannot be written, claims stop once twice the worker's concurrency waits, and all complete once they can")
    func completionBacklogHoldsClaims() async throws {
        let database = try await TestDatabase.fresh("backlog")
        try await database.withPool(maxConnections: 8) { pool in
            let queue = JobQueue(pool: pool)
            _ = try await queue.enqueue(try (0..<2_000).map { _ in try JobRequest(kind: BuiltinJobs.noop) })
            var registry = JobRegistry()
            BuiltinJobs.register(into: &registry)
            var configuration = WorkerConfiguration()
            configuration.queues = ["default": 10]
            let worker = Worker(pool: pool, registry: registry, configuration: configuration, logger: TestLogging.logger)
            let blocker = try await PostgresConnection.connect(database.configuration, logger: TestLogging.logger)
            // Finished jobs cannot be written while this transaction holds the table.
            try await blocker.execute(script: "BEGIN; LOCK TABLE rectify_finished_jobs IN EXCLUSIVE MODE")
            enum Phase { case awaitingClaims, holding(until: ContinuousClock.Instant), released }
            let phase = Mutex(Phase.awaitingClaims)
            let mostHeld = Mutex(0)
            let drained = try await runWorkers([worker], timeout: .seconds(120)) {
                let running = try await pool.query("SELECT count(*) FROM rectify_jobs WHERE state = 'running'")[0].decode(Int.self, at: 0)
                let now = ContinuousClock.now
                let releaseNow = phase.withLock { phase -> Bool in
                    switch phase {
                    case .awaitingClaims:
                        mostHeld.withLock { $0 = max($0, running) }
                        // Once claims began, two seconds more: far longer than 2,000 no-op jobs take.
                        if running >= 10 { phase = .holding(until: now + .seconds(2)) }
                        return false
                    case .holding(let until):
                        mostHeld.withLock { $0 = max($0, running) }
                        guard now >= until else { return false }
                        phase = .released
                        return true
                    case .released:
                        return false
                    }
                }
                if releaseNow { try await blocker.execute(script: "COMMIT") }
                return try await pool.query("SELECT count(*) FROM rectify_jobs")[0].decode(Int.self, at: 0) == 0
            }
            await blocker.close()
            #expect(drained)
            #expect(mostHeld.withLock { $0 } >= 10, "jobs were claimed while their completions were held up")
            #expect(mostHeld.withLock { $0 } < 30, "at most the concurrency running and twice as many more waiting to be written")
            #expect(try await queue.stats()["default"]?.completed == 2_000)
        }
    }

    @Test("arguments that do not decode discard the job at once, naming the field")
    func poisonArguments() async throws {
        let database = try await TestDatabase.fresh("poison")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let id = try #require(try await queue.enqueue(try JobRequest(kind: "noop", argsJSON: #"{"sleep_ms": "soon"}"#)).insertedID)
            var registry = JobRegistry()
            BuiltinJobs.register(into: &registry)
            var configuration = WorkerConfiguration()
            configuration.pollInterval = .milliseconds(50)
            let worker = Worker(pool: pool, registry: registry, configuration: configuration, logger: TestLogging.logger)
            #expect(try await runWorkers([worker]) { try await queue.job(id: id).state == .discarded })
            let job = try await queue.job(id: id)
            #expect(job.attempt == 1)
            // The field as the arguments spell it, not as the Swift type does (sleepMs).
            #expect(job.errors.first?.error == "arguments do not fit job kind noop: sleep_ms is not a valid Int", "\(job.errors)")
        }
    }

    @Test("a handler's logger carries its job's id, kind, queue and attempt, and the worker's id")
    func jobLoggerMetadata() async throws {
        let database = try await TestDatabase.fresh("joblogger")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let id = try #require(try await queue.enqueue(try JobRequest(kind: "log_me", args: Effect(n: 1), queue: "mail")).insertedID)
            let seen = Mutex<[String: String]>([:])
            var registry = JobRegistry()
            registry.register("log_me", args: Effect.self) { _, context in
                let logger = context.logger
                seen.withLock { seen in
                    for key in [LogMetadataKey.jobID, LogMetadataKey.jobKind, LogMetadataKey.queue, LogMetadataKey.attempt, LogMetadataKey.workerID] {
                        seen[key] = logger[metadataKey: key].map { "\($0)" }
                    }
                }
            }
            var configuration = WorkerConfiguration()
            configuration.queues = ["mail": 1]
            configuration.workerID = "logging-worker"
            let worker = Worker(pool: pool, registry: registry, configuration: configuration, logger: TestLogging.logger)
            #expect(try await runWorkers([worker]) { try await queue.job(id: id).state == .completed })
            #expect(seen.withLock { $0 } == [
                LogMetadataKey.jobID: "\(id)", LogMetadataKey.jobKind: "log_me", LogMetadataKey.queue: "mail",
                LogMetadataKey.attempt: "1", LogMetadataKey.workerID: "logging-worker",
            ])
        }
    }

    /// The producer runs on its claim connection's thread; its handlers must not. A handler
    /// started there would queue every other handler, and the next claim, behind itself, and
    /// would keep running on a connection the pool may close.
    @Test("handlers run on Swift's global executor, not on the thread of the connection that claimed them")
    func handlersRunOffTheClaimThread() async throws {
        let database = try await TestDatabase.fresh("handlerthreads")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            _ = try await queue.enqueue([try JobRequest(kind: "where", args: Effect(n: 0)), try JobRequest(kind: "where", args: Effect(n: 1))])
            let labels = Mutex<[String]>([])
            var registry = JobRegistry()
            registry.register("where", args: Effect.self) { _, _ in
                let label = currentQueueLabel()
                labels.withLock { $0.append(label) }
            }
            let worker = Worker(pool: pool, registry: registry, configuration: WorkerConfiguration(), logger: TestLogging.logger)
            #expect(try await runWorkers([worker]) { try await queue.stats()["default"]?.completed == 2 })
            let seen = labels.withLock { $0 }
            #expect(seen.count == 2)
            #expect(!seen.contains { $0.hasPrefix("rectify.postgres.connection") }, "\(seen)")
        }
    }
}

#if canImport(CDispatch)
import CDispatch

/// The label of the dispatch queue running the caller.
private func currentQueueLabel() -> String { String(cString: dispatch_queue_get_label(nil)) }
#else
import Dispatch

private func currentQueueLabel() -> String { String(cString: __dispatch_queue_get_label(nil)) }
#endif
