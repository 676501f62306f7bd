public import RectifyPostgres
import RectifySchema

/// Every component's schema, for tests that bring their own server (``PrivateTestCluster``).
public enum TestSchema {
    /// Applies every component's migrations, in order.
    public static func migrate(_ pool: PostgresPool) async throws {
        try await RectifySchema.catalog.migrate(pool, logger: TestLogging.logger)
    }
}
