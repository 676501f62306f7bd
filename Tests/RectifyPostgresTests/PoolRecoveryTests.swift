import RectifyPostgres
import RectifyTesting
import Testing

@Suite("Pool recovery", .processes)
struct PoolRecoveryTests {
    @Test("a connection given back inside a transaction is closed, not handed to the next borrower")
    func openTransactionIsNotReused() async throws {
        let database = try await TestDatabase.fresh("poolreuse")
        try await database.withPool(maxConnections: 1) { pool in
            let first = try await pool.withConnection { connection in
                try await connection.query("BEGIN")
                #expect(!connection.isReusable)
                return connection.id
            }
            let second = try await pool.withConnection { connection in
                #expect(connection.isReusable)
                let inTransaction = await connection.isInTransaction
                #expect(!inTransaction)
                return connection.id
            }
            #expect(first != second)
            let third = try await pool.withConnection { $0.id }
            #expect(third == second, "an idle connection is kept")
        }
    }

    @Test("the pool and the listener recover by themselves after the server restarts")
    func recoversAfterRestart() async throws {
        let cluster = try await PrivateTestCluster.start()
        var settings = PostgresPoolConfiguration()
        settings.healthCheckAfterIdle = .zero
        let pool = PostgresPool(configuration: cluster.configuration, poolConfiguration: settings, logger: TestLogging.logger)
        let listener = try await PostgresListener.start(configuration: cluster.configuration, channels: ["wake"])
        var events = listener.events.makeAsyncIterator()
        do {
            #expect(try await pool.query("SELECT 1")[0].decode(Int.self, at: 0) == 1)
            try await cluster.stopServer()
            await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
            try await cluster.startServer()
            #expect(try await pool.query("SELECT 2")[0].decode(Int.self, at: 0) == 2)
            #expect(await events.next() == .reconnected)
            try await pool.query("SELECT pg_notify('wake', 'again')")
            #expect(await events.next() == .notification(PostgresNotification(channel: "wake", payload: "again")))
        } catch {
            Issue.record(error)
        }
        listener.stop()
        await pool.close()
        await cluster.destroy()
    }

    /// After a restart, each connection idle for less than the health-check age would fail one
    /// borrower of its own: with 32 pooled connections, 32 failed requests.
    @Test("once a borrowed connection is found broken, the pool checks the others idle since before it")
    func oneBrokenConnectionMakesTheIdleOnesSuspect() async throws {
        let cluster = try await PrivateTestCluster.start()
        var settings = PostgresPoolConfiguration()
        settings.healthCheckAfterIdle = .seconds(3600)
        let pool = PostgresPool(configuration: cluster.configuration, poolConfiguration: settings, logger: TestLogging.logger)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 { group.addTask { try await pool.query("SELECT pg_sleep(0.3)") } }
                try await group.waitForAll()
            }
            #expect(pool.openConnections == 3)
            try await cluster.stopServer()
            try await cluster.startServer()
            await #expect(throws: PostgresError.self, "the first borrower meets a broken connection") {
                try await pool.query("SELECT 1")
            }
            for n in 2...4 {
                #expect(try await pool.query("SELECT \(n)")[0].decode(Int.self, at: 0) == n)
            }
        } catch {
            Issue.record(error)
        }
        await pool.close()
        await cluster.destroy()
    }
}
