import Logging
import RectifyLedger
import RectifyPostgres
import RectifyProgress
import RectifyQueue
import RectifyReports
import RectifySchedule

/// Migrates every component rectify has, in order.
enum Schema {
    static let migrators = [QueueMigrations.migrator, LedgerMigrations.migrator, ProgressMigrations.migrator, ReportMigrations.migrator, ScheduleMigrations.migrator]

    /// The newest migration of each component, which `/readyz` requires.
    static var expectedVersions: [String: Int] {
        Dictionary(uniqueKeysWithValues: migrators.map { ($0.component, $0.migrations.last?.version ?? 0) })
    }

    static func migrate(_ pool: PostgresPool, logger: Logger) async throws -> Int {
        var applied = 0
        for migrator in migrators { applied += try await migrator.migrate(pool, logger: logger).count }
        return applied
    }
}
