public import Logging

/// One versioned schema change.
public struct Migration: Sendable {
    /// Increasing version within its component, starting at 1.
    public var version: Int
    /// A short name for logs and `rectify_schema_migrations`.
    public var name: String
    /// The SQL to run; may hold several statements.
    public var sql: String

    /// Creates a migration.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

/// Applies a component's migrations exactly once, in order, in one transaction.
///
/// Safe when several processes migrate at once: they serialise on a transaction-scoped advisory
/// lock, and each finds what the others already applied. Applied versions are recorded in
/// `rectify_schema_migrations` per component (`queue`, `ledger`, …).
public struct Migrator: Sendable {
    /// The component whose migrations these are.
    public var component: String
    /// The components whose tables this one's migrations refer to, and so must run first
    /// (``MigrationCatalog``).
    public var follows: [String]
    /// The migrations, in any order.
    public var migrations: [Migration]

    /// Creates a migrator for a component that runs after the components it `follows`.
    public init(component: String, follows: [String] = [], migrations: [Migration]) {
        precondition(Set(migrations.map(\.version)).count == migrations.count, "duplicate migration versions")
        self.component = component
        self.follows = follows
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Applies every migration not yet applied.
    ///
    /// - Returns: the migrations applied now (empty when the schema was current).
    /// - Throws: ``PostgresError`` when a migration fails (nothing of this run is kept), or when
    ///   the database holds a newer version than this program knows.
    @discardableResult
    public func migrate(_ pool: PostgresPool, logger: Logger) async throws -> [Migration] {
        let component = self.component
        let migrations = self.migrations
        let applied = try await pool.transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('rectify.migrate'))")
            try await connection.execute(script: """
                CREATE TABLE IF NOT EXISTS rectify_schema_migrations (
                    component  text        NOT NULL,
                    version    integer     NOT NULL,
                    name       text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (component, version)
                )
                """)
            let rows = try await connection.query(
                "SELECT version FROM rectify_schema_migrations WHERE component = \(component)")
            let done = Set(try rows.map { try $0.decode(Int.self, at: 0) })
            if let newest = done.max(), let known = migrations.last?.version, newest > known {
                throw PostgresError(
                    code: .server,
                    message: "the database's \(component) schema is at version \(newest), newer than this "
                        + "rectify knows (\(known)); upgrade rectify before running it against this database")
            }
            var appliedNow: [Migration] = []
            for migration in migrations where !done.contains(migration.version) {
                try await connection.execute(script: migration.sql)
                try await connection.query("""
                    INSERT INTO rectify_schema_migrations (component, version, name)
                    VALUES (\(component), \(migration.version), \(migration.name))
                    """)
                appliedNow.append(migration)
            }
            return appliedNow
        }
        for migration in applied {
            logger.info("applied migration", metadata: [
                "migration.component": "\(component)", "migration.version": "\(migration.version)",
                "migration.name": "\(migration.name)",
            ])
        }
        return applied
    }
}
