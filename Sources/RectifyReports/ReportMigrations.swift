public import RectifyPostgres

/// The reports the monthly jobs write back (component `reports`).
public enum ReportMigrations {
    /// The migrator for the reports schema.
    public static let migrator = Migrator(component: "reports", follows: ["ledger", "progress"], migrations: [
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
        Migration(version: 2, name: "notifications", sql: """
            -- (Which office answers for which task, rectify_office_tasks, was first defined here;
            -- the progress schema's version 4 defines it now, by the ledger's scope rule.)

            -- What a report tells the units and offices concerned; replaced with its report.
            CREATE TABLE rectify_notifications (
                id         bigserial   PRIMARY KEY,
                report_id  bigint      NOT NULL REFERENCES rectify_reports (id) ON DELETE CASCADE,
                kind       text        NOT NULL CHECK (kind IN ('named', 'due_next_month', 'not_reported')),
                period     text        NOT NULL,
                unit       text        REFERENCES rectify_units (id),
                office     bigint      REFERENCES rectify_offices (id),
                level      text        CHECK (level IN ('reminder', 'warning', 'public_notice')),
                tasks      jsonb       NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                CHECK ((unit IS NULL) <> (office IS NULL))
            );
            CREATE INDEX rectify_notifications_office ON rectify_notifications (office, period);
            CREATE INDEX rectify_notifications_unit ON rectify_notifications (unit, period);
            CREATE INDEX rectify_notifications_report ON rectify_notifications (report_id);
            """),
        Migration(version: 3, name: "public disclosure", sql: """
            -- The fourth monthly report: the paragraph the province publishes (整改落实情况公开).
            ALTER TABLE rectify_reports DROP CONSTRAINT rectify_reports_kind_check,
                ADD CONSTRAINT rectify_reports_kind_check
                CHECK (kind IN ('monthly_schedule', 'name_and_shame', 'accountability_tally', 'public_disclosure'));
            """),
        Migration(version: 4, name: "inbox read marks", sql: """
            -- Which notifications an office has read (its inbox's unread filter). Databases
            -- migrated before this version have the table from the progress schema's version 2,
            -- with marks of notices that a report's re-run replaced: those go, and a mark now
            -- goes with its notice.
            CREATE TABLE IF NOT EXISTS rectify_notification_reads (
                notification bigint      NOT NULL,
                office       bigint      NOT NULL REFERENCES rectify_offices (id),
                read_at      timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (office, notification)
            );
            DELETE FROM rectify_notification_reads r
            WHERE NOT EXISTS (SELECT FROM rectify_notifications n WHERE n.id = r.notification);
            ALTER TABLE rectify_notification_reads ADD CONSTRAINT rectify_notification_reads_notification
                FOREIGN KEY (notification) REFERENCES rectify_notifications (id) ON DELETE CASCADE;
            CREATE INDEX rectify_notification_reads_notification ON rectify_notification_reads (notification);

            -- A notice is known by its report, kind, addressee and level: a report's re-run
            -- updates it in place (same id, so its read marks hold) instead of sending it again.
            CREATE UNIQUE INDEX rectify_notifications_notice
                ON rectify_notifications (report_id, kind, coalesce(unit, ''), coalesce(office, 0), coalesce(level, ''));
            """),
        Migration(version: 5, name: "drafts and issued documents", sql: """
            -- A report job writes a draft (拟稿); the province issues it (签发), which fixes its
            -- date (成文日期), issuer and, for a notice, its document number (文号), numbered
            -- through the calendar year in order of issue. A re-run replaces the draft, never an
            -- issued document; a reissue is a new document naming the one it replaces.
            ALTER TABLE rectify_reports DROP CONSTRAINT rectify_reports_kind_period_round_key;
            ALTER TABLE rectify_reports
                ADD COLUMN issued_on   date,
                ADD COLUMN issued_at   timestamptz,
                ADD COLUMN issued_by   text,
                ADD COLUMN issuer      text,
                ADD COLUMN number_year int,
                ADD COLUMN number_seq  int,
                ADD COLUMN number      text,
                -- The words the document was issued in (主送, 抄送, the configured sentences), so
                -- that a later change of configuration never rewrites it.
                ADD COLUMN signing     jsonb,
                ADD COLUMN replaces    bigint REFERENCES rectify_reports (id),
                ADD CONSTRAINT rectify_reports_issued CHECK ((issued_on IS NULL) = (issued_at IS NULL)),
                ADD CONSTRAINT rectify_reports_numbered
                    CHECK ((number_seq IS NULL) = (number_year IS NULL) AND (number IS NULL OR number_seq IS NOT NULL));
            -- One draft per kind, period and round; any number of issued documents.
            CREATE UNIQUE INDEX rectify_reports_draft ON rectify_reports (kind, period, round) WHERE issued_on IS NULL;
            CREATE UNIQUE INDEX rectify_reports_number ON rectify_reports (number_year, number_seq);
            CREATE UNIQUE INDEX rectify_reports_replaces ON rectify_reports (replaces);

            -- Reports written before this version reached their units when their job ran: they
            -- count as issued that day. Their notices were numbered by the period's month, in a
            -- format this schema never kept: the number's place in its year is kept, its text is
            -- not, and new notices are numbered after it.
            UPDATE rectify_reports SET issued_on = (created_at AT TIME ZONE 'Asia/Shanghai')::date, issued_at = created_at,
                                       issued_by = 'migration';
            UPDATE rectify_reports SET number_year = left(period, 4)::int, number_seq = right(period, 2)::int
            WHERE kind = 'name_and_shame' AND round = '';

            -- The documents in force: issued and not replaced by a reissue. Their notifications
            -- are the ones offices read.
            CREATE VIEW rectify_issued_reports AS
                SELECT r.* FROM rectify_reports r
                WHERE r.issued_on IS NOT NULL AND NOT EXISTS (SELECT FROM rectify_reports n WHERE n.replaces = r.id);
            """),
    ])
}
