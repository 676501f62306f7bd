import Foundation
import RectifyPostgres
import RectifyTesting
import Synchronization
import Testing

@Suite("Connections, transactions, errors, COPY and NOTIFY", .database)
struct ConnectionTests {
    @Test("a unique violation carries its SQLSTATE and constraint name")
    func uniqueViolation() async throws {
        let database = try await TestDatabase.fresh("sqlstate")
        try await database.withPool { pool in
            try await pool.query("CREATE TABLE offices (id text PRIMARY KEY)")
            try await pool.query("INSERT INTO offices VALUES (\("130102"))")
            let error = try await #require(throws: PostgresError.self) {
                try await pool.query("INSERT INTO offices VALUES (\("130102"))")
            }
            #expect(error.sqlState == .uniqueViolation)
            #expect(error.constraint == "offices_pkey")
            #expect(!error.description.contains("130102"), "description must not leak values")
            #expect(error.debugDescription.contains("130102"), "debugDescription carries the server's detail")
        }
    }

    @Test("a transaction commits when its body returns and rolls back when it throws")
    func transactions() async throws {
        struct Refused: Error {}
        let database = try await TestDatabase.fresh("transactions")
        try await database.withPool { pool in
            try await pool.query("CREATE TABLE progress (task text, percent int)")
            try await pool.transaction { connection in
                try await connection.query("INSERT INTO progress VALUES (\("T-1"), \(40))")
            }
            await #expect(throws: Refused.self) {
                try await pool.transaction { connection in
                    try await connection.query("INSERT INTO progress VALUES (\("T-2"), \(55))")
                    throw Refused()
                }
            }
            let tasks = try await pool.query("SELECT task FROM progress ORDER BY task").map { try $0.decode(String.self, at: 0) }
            #expect(tasks == ["T-1"])
        }
    }

    @Test("a commit that the server turned into a rollback is an error")
    func swallowedFailureDoesNotCommit() async throws {
        let database = try await TestDatabase.fresh("swallowed")
        try await database.withPool { pool in
            try await pool.query("CREATE TABLE t (id int PRIMARY KEY)")
            await #expect(throws: PostgresError.self) {
                try await pool.transaction { connection in
                    try await connection.query("INSERT INTO t VALUES (\(1))")
                    _ = try? await connection.query("INSERT INTO t VALUES (\(1))")
                }
            }
            #expect(try await pool.query("SELECT count(*) FROM t")[0].decode(Int.self, at: 0) == 0)
        }
    }

    @Test("COPY FROM STDIN loads rows with tabs, newlines, backslashes and NULLs intact")
    func copyIn() async throws {
        let database = try await TestDatabase.fresh("copy")
        try await database.withPool { pool in
            try await pool.query("CREATE TABLE petitions (id text, summary text)")
            let rows: [[String?]] = (1...2500).map { ["P\($0)", $0 == 7 ? nil : "line\t\($0)\nsecond \\ line"] }
            let loaded = try await pool.withConnection { try await $0.copy(into: "petitions", columns: ["id", "summary"], rows: rows) }
            #expect(loaded == 2500)
            let summary = try await pool.query("SELECT summary FROM petitions WHERE id = \("P3")")[0].decode(String.self, at: 0)
            #expect(summary == "line\t3\nsecond \\ line")
            #expect(try await pool.query("SELECT count(*) FROM petitions WHERE summary IS NULL")[0].decode(Int.self, at: 0) == 1)
        }
    }

    @Test("NOTIFY reaches a listener as an async sequence")
    func notifications() async throws {
        let database = try await TestDatabase.fresh("notify")
        let listener = try await PostgresListener.start(configuration: database.configuration, channels: ["rectify_test"])
        try await database.withPool { pool in
            try await pool.query("SELECT pg_notify('rectify_test', \("queue-a"))")
        }
        var iterator = listener.events.makeAsyncIterator()
        let event = await iterator.next()
        #expect(event == .notification(PostgresNotification(channel: "rectify_test", payload: "queue-a")))
        listener.stop()
        #expect(await iterator.next() == nil)
    }

    @Test("NOTIFY reaches a listener's handler in order, and its event sequence stays empty")
    func notificationHandler() async throws {
        let database = try await TestDatabase.fresh("notifyhandler")
        let received = Mutex<[String]>([])
        let listener = try await PostgresListener.start(configuration: database.configuration, channels: ["rectify_test"]) { event in
            if case .notification(let notification) = event { received.withLock { $0.append(notification.payload) } }
        }
        try await database.withPool { pool in
            for payload in ["queue-a", "queue-b", "queue-c"] {
                try await pool.query("SELECT pg_notify('rectify_test', \(payload))")
            }
        }
        #expect(try await eventually { received.withLock { $0.count } == 3 })
        #expect(received.withLock { $0 } == ["queue-a", "queue-b", "queue-c"])
        listener.stop()
        var iterator = listener.events.makeAsyncIterator()
        #expect(await iterator.next() == nil)
    }

    @Test("a failed connection names host, port and database but never the password")
    func connectionFailure() async throws {
        let configuration = PostgresConfiguration(url: "postgresql://ops:s3cret-pw@127.0.0.1:1/ledger")
        let error = try await #require(throws: PostgresError.self) {
            _ = try await PostgresConnection.connect(configuration)
        }
        #expect(error.code == .connectionFailed)
        #expect(error.description.contains("127.0.0.1:1/ledger"))
        #expect(!error.description.contains("s3cret-pw"))
    }

    @Test("a multi-host URL is described as the servers it names, each with its port", arguments: [
        ("postgresql://u:pw@10.0.0.1:5433,10.0.0.2:5434/rectify?target_session_attrs=read-write", "10.0.0.1:5433,10.0.0.2:5434/rectify"),
        ("postgresql://u:pw@10.0.0.1,10.0.0.2:6000/rectify", "10.0.0.1:5432,10.0.0.2:6000/rectify"),
        ("host=a,b port=7000 dbname=x password=pw", "a:7000,b:7000/x"),
        ("postgresql:///rectify", "localhost:5432/rectify"),
    ])
    func multiHostDescription(url: String, described: String) {
        #expect(PostgresConfiguration(url: url).endpointDescription == described)
    }

    @Test("a connection on a multi-host URL names the host it reached, and its errors name that host")
    func reachedServer() async throws {
        let database = try await TestDatabase.fresh("reached")
        let conninfo = try database.configuration.conninfo()
        let host = try #require(conninfo.firstMatch(of: /host='([^']*)'/)?.1)
        let port = try #require(conninfo.firstMatch(of: /port='([^']*)'/)?.1)
        // Nothing listens on port 1 (as in connectionFailure): libpq goes on to the second host.
        let closed = 1
        let multiHost = conninfo.replacingOccurrences(of: "host='\(host)'", with: "host='\(host),\(host)'")
            .replacingOccurrences(of: "port='\(port)'", with: "port='\(closed),\(port)'")
        let connection = try await PostgresConnection.connect(PostgresConfiguration(url: multiHost), logger: TestLogging.logger)
        #expect(connection.endpoint == "\(host):\(closed),\(host):\(port)/\(database.name)")
        #expect(await connection.server == "\(host):\(port)/\(database.name)")
        await connection.close()
        let error = try await #require(throws: PostgresError.self) { try await connection.query("SELECT 1") }
        #expect(error.description.contains("the connection to \(host):\(port)/\(database.name) is closed"), "\(error)")
    }

    @Test("cancelling the task cancels the running statement on the server")
    func cancellation() async throws {
        let database = try await TestDatabase.fresh("cancel")
        try await database.withPool { pool in
            let started = ContinuousClock.now
            let sleeper = Task { try await pool.query("SELECT pg_sleep(30)") }
            try await Task.sleep(for: .milliseconds(300))
            sleeper.cancel()
            await #expect(throws: PostgresError.self) { try await sleeper.value }
            #expect(started.duration(to: .now) < .seconds(20), "the statement must stop long before pg_sleep(30) ends")
            #expect(try await pool.query("SELECT 1")[0].decode(Int.self, at: 0) == 1)
        }
    }

    /// `PQcancel` is sent from a thread of its own. A request that reaches the server after its
    /// statement has ended must not cancel whatever the connection runs next: a worker returning
    /// its jobs at shutdown, on the connection a cancelled heartbeat had just used, lost them so.
    @Test("a cancel that arrives after its statement ended does not cancel the next statement")
    func lateCancel() async throws {
        let database = try await TestDatabase.fresh("latecancel")
        let connection = try await PostgresConnection.connect(database.configuration, logger: TestLogging.logger)
        var lateCancels = 0
        for round in 0..<100 {
            let quick = Task {
                try await connection.query("SELECT pg_sleep(0.002)")
                return ContinuousClock.now
            }
            try await Task.sleep(for: .microseconds(500 + (round % 6) * 500))
            let cancelledAt = ContinuousClock.now
            quick.cancel()
            // It ended after the cancel and was not cancelled: a request sent for it came too late.
            if let ended = try? await quick.value, ended > cancelledAt { lateCancels += 1 }
            let next = try await connection.query("SELECT pg_sleep(0.03), \(round)::int")
            #expect(try next[0].decode(Int.self, at: 1) == round)
        }
        #expect(lateCancels > 0, "no round cancelled a statement that had already ended; the test proved nothing")
        await connection.close()
    }
}
