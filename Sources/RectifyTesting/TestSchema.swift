public import RectifyPostgres

/// Every component's schema, for tests that bring their own server (``PrivateTestCluster``).
public enum TestSchema {
    /// Applies every component's migrations, in order.
    public static func migrate(_ pool: PostgresPool) async throws {
        for migrator in SchemaCatalog.migrators { try await migrator.migrate(pool, logger: TestLogging.logger) }
    }
}
