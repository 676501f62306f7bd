public import RectifyPostgres

/// The reports the monthly jobs write back (component `reports`).
public enum ReportMigrations {
    /// The migrator for the reports schema.
    public static let migrator = Migrator(component: "reports", migrations: [
        Migration(version: 1, name: "reports", sql: """
            CREATE TABLE rectify_reports (
                id         bigserial   PRIMARY KEY,
                kind       text        NOT NULL CHECK (kind IN ('monthly_schedule', 'name_and_shame', 'accountability_tally')),
                period     text        NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
                -- '' for the whole province; a round id for a report on one round.
                round      text        NOT NULL DEFAULT '',
                figures    jsonb       NOT NULL,
                job_id     bigint,
                created_at timestamptz NOT NULL DEFAULT now(),
                -- Running the same kind for the same period again replaces the report.
                UNIQUE (kind, period, round)
            );
            """),
    ])
}
