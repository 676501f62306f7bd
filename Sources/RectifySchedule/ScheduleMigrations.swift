public import RectifyPostgres

/// The schedule's schema (component `schedule`): which month's jobs were enqueued, the periodic
/// entries and the due times they fired, and the lease that makes one worker the scheduling leader.
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
        Migration(version: 2, name: "periodic entries and their fired due times", sql: """
            -- The periodic entries as the scheduling leader last registered them from its configuration.
            CREATE TABLE rectify_periodic_entries (
                name           text        PRIMARY KEY,
                cron           text        NOT NULL,
                time_zone      text        NOT NULL,
                kind           text        NOT NULL,
                args           jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(args) = 'object'),
                queue          text        NOT NULL,
                catch_up_limit integer     NOT NULL CHECK (catch_up_limit >= 1),
                updated_at     timestamptz NOT NULL DEFAULT now()
            );

            -- One row per entry and due time: the primary key is what makes each due time enqueue
            -- one job, however many schedulers fire it. Rows outlive a removed entry, as history.
            CREATE TABLE rectify_periodic_fires (
                entry    text        NOT NULL,
                due_at   timestamptz NOT NULL,
                job_ids  bigint[]    NOT NULL DEFAULT '{}',
                fired_at timestamptz NOT NULL DEFAULT now(),
                fired_by text        NOT NULL,
                PRIMARY KEY (entry, due_at)
            );
            """),
    ])
}
