import Foundation
import RectifyPostgres
import RectifyQueue
import RectifyTesting
import Testing

@Suite("Typed jobs and operator verbs against a real server", .database)
struct QueueOpsTests {
    struct Receipt: Codable, Sendable, Equatable {
        var orderId: Int64
        var note: String?
    }

    static let receipt = JobDefinition(kind: "send_receipt", args: Receipt.self, queue: "mail", priority: 3, maxAttempts: 5)

    @Test("a definition's enqueue stores its kind, queue, priority and attempts, with snake_case arguments")
    func typedEnqueue() async throws {
        let database = try await TestDatabase.fresh("typed")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let id = try #require(try await queue.enqueue(Self.receipt, args: Receipt(orderId: 42, note: "hi")).insertedID)
            let urgent = try #require(try await pool.transaction { connection in
                try await JobQueue.enqueue(Self.receipt, args: Receipt(orderId: 43), priority: -1, on: connection)
            }.insertedID)
            let job = try await queue.job(id: id)
            #expect(job.kind == "send_receipt" && job.queue == "mail" && job.priority == 3 && job.maxAttempts == 5)
            #expect(job.argsJSON.contains("\"order_id\""))
            #expect(try Self.receipt.decode(argsJSON: job.argsJSON) == Receipt(orderId: 42, note: "hi"))
            #expect(try await queue.job(id: urgent).priority == -1)
        }
    }

    @Test("a claim takes only the kinds asked for, leaving the others untouched")
    func claimFiltersKinds() async throws {
        let database = try await TestDatabase.fresh("claimkinds")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            _ = try await queue.enqueue([try JobRequest(kind: "newer", priority: 0), try JobRequest(kind: "noop", priority: 1)])
            let claimed = try await queue.claim(queue: "default", kinds: ["noop"], limit: 10, workerID: "w", lease: .seconds(30))
            #expect(claimed.map(\.kind) == ["noop"])
            #expect(try await queue.claim(queue: "default", kinds: ["noop"], limit: 10, workerID: "w", lease: .seconds(30)).isEmpty)
            let newer = try #require(try await queue.list(JobFilter(kind: "newer")).first)
            #expect(newer.state == .available && newer.attempt == 0)
        }
    }

    @Test("a paused queue is not claimed from, shows as paused in the stats, and is claimed again once resumed")
    func pauseAndResume() async throws {
        let database = try await TestDatabase.fresh("pause")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            _ = try await queue.enqueue([try JobRequest(kind: "noop"), try JobRequest(kind: "noop", queue: "other")])
            #expect(try await queue.pause(queue: "default"))
            #expect(try await queue.pause(queue: "default") == false)
            #expect(try await queue.pause(queue: "idle"))
            #expect(try await queue.claim(queue: "default", kinds: ["noop"], limit: 10, workerID: "w", lease: .seconds(30)).isEmpty)
            #expect(try await queue.claim(queue: "other", kinds: ["noop"], limit: 10, workerID: "w", lease: .seconds(30)).count == 1)
            let stats = try await queue.stats()
            #expect(stats["default"]?.paused == true && stats["default"]?.available == 1)
            #expect(stats["idle"]?.paused == true, "a paused queue without jobs is listed")
            #expect(stats["other"]?.paused == false)
            #expect(try await queue.pausedQueues() == ["default", "idle"])
            #expect(try await queue.resume(queue: "default"))
            #expect(try await queue.resume(queue: "default") == false)
            #expect(try await queue.claim(queue: "default", kinds: ["noop"], limit: 10, workerID: "w", lease: .seconds(30)).count == 1)
        }
    }

    @Test("a queue has live jobs while one is available, scheduled or running, and none once they finished")
    func liveJobs() async throws {
        let database = try await TestDatabase.fresh("livejobs")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            _ = try await queue.enqueue([
                try JobRequest(kind: "noop", queue: "waiting"),
                try JobRequest(kind: "noop", queue: "later", runAt: Date().addingTimeInterval(3600)),
                try JobRequest(kind: "noop", queue: "busy"),
            ])
            let running = try await queue.claim(queue: "busy", kinds: ["noop"], limit: 10, workerID: "w", lease: .seconds(30))
            #expect(running.count == 1)
            for name in ["waiting", "later", "busy"] { #expect(try await queue.hasLiveJobs(in: name), "\(name)") }
            #expect(try await queue.hasLiveJobs(in: "empty") == false)
            #expect(try await queue.complete(running.map(\.lease)).count == 1)
            #expect(try await queue.hasLiveJobs(in: "busy") == false, "a finished job is not live")
        }
    }

    @Test("stats within a window count the jobs of the hours it touches; without one, all of them")
    func statsWindow() async throws {
        let database = try await TestDatabase.fresh("statswindow")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            try await queue.prepareFinishedPartitions(retention: .seconds(7 * 86_400), from: Date().addingTimeInterval(-3 * 86_400))
            try await pool.query("""
                INSERT INTO rectify_finished_jobs (id, kind, queue, args, priority, state, attempt, max_attempts, run_at, errors, created_at, finished_at)
                VALUES (nextval('rectify_jobs_id_seq'), 'old', 'default', '{}', 0, 'discarded', 1, 20, now(), '[]', now(), now() - interval '2 days')
                """)
            let id = try #require(try await queue.enqueue(try JobRequest(kind: "new")).insertedID)
            try await queue.discard(id: id, reason: "test")
            #expect(try await queue.stats()["default"]?.discarded == 2)
            #expect(try await queue.stats(finishedWithin: .seconds(86_400))["default"]?.discarded == 1)
        }
    }

    /// The names of the finished jobs' partitions attached now, oldest first.
    private static func partitions(on pool: PostgresPool) async throws -> [String] {
        try await pool.query("""
            SELECT c.relname FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'rectify_finished_jobs'::regclass ORDER BY 1
            """).map { try $0.decode(String.self, at: 0) }
    }

    @Test("finished jobs are kept in partitions by day; pruning drops the days past the retention whole, and the counts follow")
    func partitionsByDay() async throws {
        let database = try await TestDatabase.fresh("partitions")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let retention = Duration.seconds(3 * 86_400)
            #expect(JobQueue.partitionDays(for: retention) == 1)
            #expect(JobQueue.partitionDays(for: .seconds(365 * 86_400)) == 12)
            #expect(try await queue.prepareFinishedPartitions(retention: retention, from: Date().addingTimeInterval(-6 * 86_400)) == 6)
            #expect(try await queue.prepareFinishedPartitions(retention: retention) == 0, "the days ahead were covered already")
            // Four jobs that finished six days ago, one of them discarded.
            try await pool.query("""
                INSERT INTO rectify_finished_jobs (id, kind, queue, args, priority, state, attempt, max_attempts, run_at, errors, created_at, finished_at)
                SELECT nextval('rectify_jobs_id_seq'), 'old', 'default', '{}', 0, CASE WHEN g = 1 THEN 'discarded' ELSE 'completed' END,
                       1, 20, now(), '[]', now(), now() - interval '6 days'
                FROM generate_series(1, 4) AS g
                """)
            let ids = try await queue.enqueue([try JobRequest(kind: "new"), try JobRequest(kind: "new")]).compactMap(\.insertedID)
            for id in ids { try await queue.discard(id: id) }
            #expect(try await queue.stats()["default"]?.completed == 3)
            #expect(try await queue.stats()["default"]?.discarded == 3)

            // As if a pruning pass had stopped between detaching that day and dropping it.
            let sixDaysAgo = try #require(try await Self.partitions(on: pool).first)
            try await pool.query("ALTER TABLE rectify_finished_jobs DETACH PARTITION \(unescaped: sixDaysAgo)")
            #expect(try await queue.prune(olderThan: retention) == 4, "the day of six days ago goes whole, detached already; today stays")
            #expect(try await pool.query("SELECT to_regclass(\(sixDaysAgo)) IS NULL")[0].decode(Bool.self, at: 0))
            #expect(try await queue.prune(olderThan: retention) == 0)
            let partitions = try await Self.partitions(on: pool)
            #expect(partitions.count == 3 + JobQueue.partitionDaysAhead, "the three days past the retention went, empty or not")
            #expect(partitions.allSatisfy { $0.wholeMatch(of: /rectify_finished_jobs_\d{8}_\d{8}/) != nil })
            #expect(try await pool.query("SELECT count(*) FROM rectify_finished_jobs")[0].decode(Int.self, at: 0) == 2)
            #expect(try await queue.stats()["default"]?.completed == 0)
            #expect(try await queue.stats()["default"]?.discarded == 2)

            try await queue.retry(id: ids[0])
            #expect(try await queue.stats()["default"]?.discarded == 1, "a job retried leaves the counts of finished jobs")
            _ = try await queue.prune(olderThan: retention)
            #expect(try await pool.query("SELECT count(*) FROM rectify_finished_counts")[0].decode(Int.self, at: 0) == 1,
                    "pruning adds the counts up: one row for today's discarded job")
        }
    }

    @Test("an operator's discard finds a partition for today when no worker has prepared one for longer than the days ahead")
    func discardWithoutPreparedDays() async throws {
        let database = try await TestDatabase.fresh("nodays")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            // As if no worker had run since the days prepared ahead ran out.
            let partitions = try await Self.partitions(on: pool)
            #expect(partitions.count >= JobQueue.partitionDaysAhead, "the migration prepared the days ahead")
            for name in partitions { try await pool.query("DROP TABLE \(unescaped: name)") }
            let ids = try await queue.enqueue([try JobRequest(kind: "one"), try JobRequest(kind: "many"), try JobRequest(kind: "many")])
                .compactMap(\.insertedID)
            #expect(try await queue.discard(id: ids[0]).state == .discarded)
            #expect(try await queue.discard(matching: JobFilter(kind: "many")) == 2)
            #expect(try await queue.stats()["default"]?.discarded == 3)
            #expect(try await Self.partitions(on: pool).count == 2, "today and tomorrow, a day each")
        }
    }

    @Test("list filters by state, kind and queue, newest first, across live and finished jobs")
    func list() async throws {
        let database = try await TestDatabase.fresh("list")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let ids = try await queue.enqueue([
                try JobRequest(kind: "a"), try JobRequest(kind: "b"), try JobRequest(kind: "a", queue: "q2"), try JobRequest(kind: "a"),
            ]).compactMap(\.insertedID)
            try await queue.discard(id: ids[0])
            #expect(try await queue.list(JobFilter()).map(\.id) == ids.reversed())
            #expect(try await queue.list(JobFilter(kind: "a")).map(\.id) == [ids[3], ids[2], ids[0]])
            #expect(try await queue.list(JobFilter(state: .discarded)).map(\.id) == [ids[0]])
            #expect(try await queue.list(JobFilter(state: .available, kind: "a", queue: "default")).map(\.id) == [ids[3]])
            #expect(try await queue.list(JobFilter(), limit: 2).map(\.id) == [ids[3], ids[2]])
        }
    }

    @Test("bulk retry and discard act on what the filter selects, count it, and refuse an empty filter")
    func bulkActions() async throws {
        let database = try await TestDatabase.fresh("bulk")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let ids = try await queue.enqueue(
                try (0..<5).map { _ in try JobRequest(kind: "flaky") } + [try JobRequest(kind: "steady")]
            ).compactMap(\.insertedID)
            let empty = await #expect(throws: QueueError.self) { try await queue.discard(matching: JobFilter()) }
            #expect(empty?.code == .invalidRequest)
            await #expect(throws: QueueError.self) { try await queue.retry(matching: JobFilter()) }
            await #expect(throws: QueueError.self) { try await queue.retry(matching: JobFilter(state: .completed)) }

            #expect(try await queue.discard(matching: JobFilter(kind: "flaky")) == 5)
            #expect(try await queue.discard(matching: JobFilter(kind: "flaky")) == 0, "already discarded")
            #expect(try await queue.job(id: ids[5]).state == .available)

            let claimed = try await queue.claim(queue: "default", kinds: ["steady"], limit: 1, workerID: "w", lease: .seconds(30))
            _ = try await queue.complete(claimed.map(\.lease))
            #expect(try await queue.retry(matching: JobFilter(state: .discarded, kind: "flaky")) == 5)
            #expect(try await queue.list(JobFilter(state: .available)).map(\.id) == ids[0..<5].reversed())
            #expect(try await queue.retry(matching: JobFilter(kind: "steady")) == 0, "a completed job is not retried")
        }
    }

    @Test("bulk actions discard running jobs too, leave a job whose unique key a live job holds, and wake each queue once")
    func bulkActionsAcrossStates() async throws {
        let database = try await TestDatabase.fresh("bulkstates")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let keyed = try #require(try await queue.enqueue(try JobRequest(kind: "report", uniqueKey: "2026-11")).insertedID)
            let later = try #require(
                try await queue.enqueue(try JobRequest(kind: "report", queue: "later", runAt: Date().addingTimeInterval(3600))).insertedID)
            let busy = try #require(try await queue.enqueue(try JobRequest(kind: "report", queue: "busy")).insertedID)
            let claimed = try await queue.claim(queue: "busy", kinds: ["report"], limit: 1, workerID: "w", lease: .seconds(30))
            #expect(claimed.map(\.id) == [busy])

            #expect(try await queue.discard(matching: JobFilter(kind: "report")) == 3)
            for id in [keyed, later, busy] { #expect(try await queue.job(id: id).state == .discarded) }
            let discarded = try await queue.job(id: busy)
            #expect(discarded.errors.last?.error == "discarded by an operator")

            _ = try await queue.enqueue(try JobRequest(kind: "report", uniqueKey: "2026-11"))
            let listener = try await PostgresListener.start(configuration: pool.configuration, channels: [JobQueue.notificationChannel])
            defer { listener.stop() }
            var wakeUps = listener.events.makeAsyncIterator()
            #expect(try await queue.retry(matching: JobFilter(state: .discarded, kind: "report")) == 2)
            #expect(try await queue.job(id: keyed).state == .discarded, "a live job holds its unique key")
            for id in [later, busy] { #expect(try await queue.job(id: id).state == .available) }
            _ = try await queue.enqueue(try JobRequest(kind: "report", queue: "sentinel"))
            var woken: [String] = []
            while case .notification(let notification)? = await wakeUps.next(), notification.payload != "sentinel" {
                woken.append(notification.payload)
            }
            #expect(woken.sorted() == ["busy", "later"], "one wake-up per queue that got jobs")
        }
    }

    @Test("bulk actions on more jobs than one statement changes go on batch after batch until every job is done")
    func bulkActionsInBatches() async throws {
        let database = try await TestDatabase.fresh("bulkbatches")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let count = 2 * 5000 + 1
            _ = try await queue.enqueue(try (0..<count).map { _ in try JobRequest(kind: "backlog") })
            #expect(try await queue.discard(matching: JobFilter(kind: "backlog")) == count)
            #expect(try await queue.stats()["default"]?.discarded == count)
            #expect(try await queue.retry(matching: JobFilter(state: .discarded, kind: "backlog")) == count)
            #expect(try await queue.stats()["default"]?.available == count)
        }
    }
}
