import RectifyPostgres
import RectifyTesting
import Testing

/// Connections carry keepalives and server-side timeouts, so a dead peer or a forgotten
/// transaction cannot hold a connection forever.
@Suite("Connection timeouts", .database)
struct ConnectionTimeoutTests {
    @Test("default connections have keepalives, tcp_user_timeout, statement and idle-in-transaction timeouts")
    func defaultsReachTheServer() async throws {
        let database = try await TestDatabase.fresh("timeouts")
        let connection = try await PostgresConnection.connect(database.configuration, logger: TestLogging.logger)
        let row = try await connection.query("""
            SELECT current_setting('statement_timeout'), current_setting('idle_in_transaction_session_timeout'),
                   current_setting('tcp_user_timeout'), current_setting('tcp_keepalives_idle')
            """)[0]
        let (statement, idle, user, _) = try row.decode((String, String, String, String).self)
        #expect(statement != "0")
        #expect(idle != "0")
        #expect(user != "0")
        await connection.close()
    }

    @Test("a statement over the configured statement_timeout fails with 57014 instead of running on")
    func statementTimeout() async throws {
        let database = try await TestDatabase.fresh("stmttimeout")
        var configuration = database.configuration
        configuration.timeouts.statementTimeout = .milliseconds(300)
        let connection = try await PostgresConnection.connect(configuration, logger: TestLogging.logger)
        await #expect(throws: PostgresError.self) { try await connection.query("SELECT pg_sleep(30)") }
        do {
            try await connection.query("SELECT pg_sleep(30)")
        } catch let error as PostgresError {
            #expect(error.sqlState == .queryCanceled)
        }
        await connection.close()
    }

    @Test("a session left idle inside a transaction is ended by the server")
    func idleInTransactionTimeout() async throws {
        let database = try await TestDatabase.fresh("idletx")
        var configuration = database.configuration
        configuration.timeouts.idleInTransactionTimeout = .milliseconds(300)
        let connection = try await PostgresConnection.connect(configuration, logger: TestLogging.logger)
        try await connection.query("BEGIN")
        try await Task.sleep(for: .seconds(1))
        await #expect(throws: PostgresError.self) { try await connection.query("SELECT 1") }
        await connection.close()
    }

    @Test("a borrower that waits past the acquire timeout fails with poolExhausted instead of hanging")
    func acquireTimeout() async throws {
        let database = try await TestDatabase.fresh("acquire")
        var settings = PostgresPoolConfiguration()
        settings.maxConnections = 1
        settings.acquireTimeout = .milliseconds(300)
        let pool = PostgresPool(configuration: database.configuration, poolConfiguration: settings, logger: TestLogging.logger)
        try await pool.withConnection { held in
            do {
                try await pool.query("SELECT 1")
                Issue.record("a second connection was handed out by a pool of one")
            } catch let error as PostgresError {
                #expect(error.code == .poolExhausted)
                #expect(error.description.contains("all 1 of the pool's connections are in use"))
            }
            _ = try await held.query("SELECT 1")
        }
        #expect(try await pool.query("SELECT 2")[0].decode(Int.self, at: 0) == 2, "the pool works again once a connection is free")
        await pool.close()
    }
}
