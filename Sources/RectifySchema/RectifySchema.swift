import RectifyAccounts
import RectifyLedger
public import RectifyPostgres
import RectifyProgress
import RectifyQueue
import RectifyReports
import RectifySchedule

/// rectify's whole schema: every component's migrator, each declaring the components it
/// follows. The command line migrates with it and `/readyz` checks against it; the tests build
/// their template database from it.
public enum RectifySchema {
    /// The catalog of every component.
    public static let catalog = MigrationCatalog([
        QueueMigrations.migrator, LedgerMigrations.migrator, TaskRecordMigrations.migrator, ReportMigrations.migrator,
        ScheduleMigrations.migrator, AccountMigrations.migrator,
    ])
}
