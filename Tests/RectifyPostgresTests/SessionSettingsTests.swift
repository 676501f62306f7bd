import RectifyPostgres
import RectifyTesting
import Testing

@Suite("Session settings", .database)
struct SessionSettingsTests {
    @Test("session settings reach the server beside the timeouts, and only on the configuration that has them")
    func settingsReachTheServer() async throws {
        let database = try await TestDatabase.fresh("sessionsettings")
        var configuration = database.configuration
        configuration.sessionSettings["synchronous_commit"] = "local"
        let tuned = try await PostgresConnection.connect(configuration, logger: TestLogging.logger)
        let row = try await tuned.query("""
            SELECT current_setting('synchronous_commit'), current_setting('statement_timeout')
            """)[0]
        let (synchronousCommit, statementTimeout) = try row.decode((String, String).self)
        #expect(synchronousCommit == "local")
        #expect(statementTimeout != "0")
        await tuned.close()

        let plain = try await PostgresConnection.connect(database.configuration, logger: TestLogging.logger)
        // Test clusters run with synchronous_commit off server-wide; `local` is nobody's default.
        #expect(try await plain.query("SELECT current_setting('synchronous_commit')")[0].decode(String.self, at: 0) != "local")
        await plain.close()
    }
}
