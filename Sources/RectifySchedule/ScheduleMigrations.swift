public import RectifyPostgres

/// The schedule's schema (component `schedule`): which month's jobs were enqueued, and the
/// lease that makes one worker the scheduling leader.
public enum ScheduleMigrations {
    /// The migrator for the schedule schema.
    public static let migrator = Migrator(component: "schedule", migrations: [
        Migration(version: 1, name: "scheduled runs and leader lease", sql: """
            -- One row per job kind and period: the primary key is what makes the monthly run
            -- happen once, however many cron lines, timers or leaders fire it.
            CREATE TABLE rectify_scheduled_runs (
                kind         text        NOT NULL,
                period       text        NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
                job_id       bigint,
                scheduled_at timestamptz NOT NULL DEFAULT now(),
                scheduled_by text        NOT NULL,
                PRIMARY KEY (kind, period)
            );

            -- Who decides when the monthly run fires (`rectify work --scheduler`), until when.
            CREATE TABLE rectify_scheduler_lease (
                name       text        PRIMARY KEY,
                holder     text        NOT NULL,
                expires_at timestamptz NOT NULL
            );
            """),
    ])
}
