import Logging
import RectifyPostgres
import RectifyQueue

/// Refuses to start against a database that was never migrated, with the fix in the message.
enum SchemaCheck {
    /// As ``require(_:)``, but a database that cannot be reached now passes with a log line:
    /// the worker waits for it itself.
    static func require(_ pool: PostgresPool, unlessUnreachable logger: Logger) async throws {
        do {
            try await require(pool)
        } catch let error as PostgresError where error.isConnectionError {
            logger.warning("the database is unreachable; the worker will wait for it", metadata: ["error": "\(error)"])
        }
    }

    static func require(_ pool: PostgresPool) async throws {
        guard try await Migrator.appliedVersions(pool)?[QueueMigrations.migrator.component] != nil else {
            throw CommandError("the database at \(pool.configuration.endpointDescription) has no rectify schema; run `rectify migrate` first")
        }
    }
}
