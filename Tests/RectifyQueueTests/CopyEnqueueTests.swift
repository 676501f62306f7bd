import Foundation
import RectifyPostgres
import RectifyQueue
import RectifyTesting
import Testing

@Suite("Batches without unique keys load with COPY", .database)
struct CopyEnqueueTests {
    @Test("a large batch keeps every field, request order in its ids, and run_at's scheduled/available rule")
    func fieldsAndOrder() async throws {
        let database = try await TestDatabase.fresh("copyenqueue")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let tricky = #"{"text":"tab\there, line\nbreak, back\\slash, 省生态环境厅"}"#
            var requests = try (0..<250).map { index in
                try JobRequest(kind: "noop", argsJSON: #"{"n":\#(index)}"#, queue: index.isMultiple(of: 2) ? "even" : "odd")
            }
            requests[3] = try JobRequest(
                kind: "monthly_schedule", argsJSON: tricky, queue: "odd", priority: -3, maxAttempts: 7,
                timeout: .seconds(90))
            requests[5] = try JobRequest(kind: "noop", queue: "odd", runAt: Date().addingTimeInterval(3600))
            requests[7] = try JobRequest(kind: "noop", queue: "odd", runAt: Date(timeIntervalSince1970: 1_700_000_000))
            let outcomes = try await queue.enqueue(requests)
            let ids = outcomes.compactMap(\.insertedID)
            #expect(ids.count == 250)
            #expect(ids == ids.sorted() && Set(ids).count == 250)

            let rows = try await pool.query("""
                SELECT id, args::text, state, run_at = created_at FROM rectify_jobs ORDER BY id
                """)
            #expect(rows.rowCount == 250)
            #expect(try rows[0].decode(String.self, at: 1) == #"{"n": 0}"#)
            #expect(try rows[0].decode(String.self, at: 2) == "available")
            #expect(try rows[0].decode(Bool.self, at: 3), "a job without run_at is due when it was created")

            let special = try await queue.job(id: ids[3])
            #expect(special.kind == "monthly_schedule")
            #expect(special.argsJSON == #"{"text": "tab\there, line\nbreak, back\\slash, 省生态环境厅"}"#)
            #expect(special.priority == -3)
            #expect(special.maxAttempts == 7)
            #expect(try await pool.query("SELECT timeout_ms FROM rectify_jobs WHERE id = \(ids[3])")[0]
                .decode(Int32.self, at: 0) == 90_000)
            #expect(try await queue.job(id: ids[5]).state == .scheduled)
            let past = try await queue.job(id: ids[7])
            #expect(past.state == .available)
            #expect(past.runAt == Date(timeIntervalSince1970: 1_700_000_000))

            let stats = try await queue.stats()
            #expect(stats["even"]?.available == 125)
            #expect(stats["odd"]?.available == 124)
            #expect(stats["odd"]?.scheduled == 1)
        }
    }

    @Test("inside the caller's transaction the batch exists only if it commits, and wakes its queue's workers then")
    func transactionAndNotify() async throws {
        struct Abort: Error {}
        let database = try await TestDatabase.fresh("copynotify")
        try await database.withPool { pool in
            let listener = try await PostgresListener.start(
                configuration: pool.configuration, channels: [JobQueue.notificationChannel])
            defer { listener.stop() }
            let requests = try (0..<150).map { _ in try JobRequest(kind: "noop", queue: "bulk") }
            await #expect(throws: Abort.self) {
                try await pool.transaction { connection in
                    _ = try await JobQueue.enqueue(requests, on: connection)
                    throw Abort()
                }
            }
            #expect(try await JobQueue(pool: pool).stats().isEmpty)
            try await pool.transaction { connection in
                _ = try await JobQueue.enqueue(requests, on: connection)
            }
            #expect(try await JobQueue(pool: pool).stats()["bulk"]?.available == 150)
            var events = listener.events.makeAsyncIterator()
            let event = await events.next()
            #expect(event == .notification(PostgresNotification(channel: JobQueue.notificationChannel, payload: "bulk")))
        }
    }

    @Test("concurrent batches of several COPY pieces get distinct ids, each the id of its own request's row")
    func concurrentBatches() async throws {
        let database = try await TestDatabase.fresh("copyconcurrent")
        try await database.withPool(maxConnections: 4) { pool in
            let queue = JobQueue(pool: pool)
            let batches = try await withThrowingTaskGroup(of: (Int, [EnqueueOutcome]).self) { group in
                for batch in 0..<4 {
                    group.addTask {
                        let requests = try (0..<2_500).map { try JobRequest(kind: "noop", argsJSON: #"{"b":\#(batch),"n":\#($0)}"#) }
                        return (batch, try await queue.enqueue(requests))
                    }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            let stored = try await pool.query("SELECT id, (args->>'b')::int, (args->>'n')::int FROM rectify_jobs")
            var placed: [Int64: [Int]] = [:]
            for row in stored {
                let (id, batch, index) = try row.decode((Int64, Int, Int).self)
                placed[id] = [batch, index]
            }
            #expect(placed.count == 10_000)
            for (batch, outcomes) in batches {
                for (index, outcome) in outcomes.enumerated() {
                    #expect(placed[try #require(outcome.insertedID)] == [batch, index])
                }
            }
        }
    }

    @Test("a large batch with a unique key keeps the INSERT path and reports the taken key")
    func uniqueKeysKeepInsert() async throws {
        let database = try await TestDatabase.fresh("copyunique")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            _ = try await queue.enqueue(try JobRequest(kind: "noop", uniqueKey: "taken"))
            var requests = try (0..<150).map { _ in try JobRequest(kind: "noop") }
            requests[10] = try JobRequest(kind: "noop", uniqueKey: "taken")
            let outcomes = try await queue.enqueue(requests)
            #expect(outcomes[10] == .duplicate(uniqueKey: "taken"))
            #expect(outcomes.compactMap(\.insertedID).count == 149)
        }
    }
}
