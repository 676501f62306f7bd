public import RectifyPostgres

/// The progress module's schema (component `progress`): the history of every change to a task,
/// and what this module adds to the offices and submissions tables that the ledger's early
/// migrations created (this module owns them now).
///
/// Runs after the ledger's migrations, whose tasks it refers to.
public enum ProgressMigrations {
    /// The migrator for the progress schema.
    public static let migrator = Migrator(component: "progress", migrations: [
        Migration(version: 1, name: "task history", sql: """
            -- Every change of a task's status, progress or deadline: who made it, through what,
            -- why, and the values before and after. Rows are only ever added.
            CREATE TABLE rectify_task_history (
                id           bigserial   PRIMARY KEY,
                task         text        NOT NULL REFERENCES rectify_tasks (id),
                changed_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
                -- What made the change: an office's submission, a provincial decision, the
                -- public notice ending, or a ledger import.
                source       text        NOT NULL CHECK (source IN ('submission', 'acceptance', 'rejection', 'objection',
                                                                    'public_notice', 'extension', 'import')),
                -- Who: an office's name and id, or the imported file's name.
                actor        text        NOT NULL CHECK (actor <> ''),
                -- The submission id, the decision's id, or the imported file's sha256.
                reference    text,
                note         text        NOT NULL DEFAULT '',
                old_status   text,
                new_status   text,
                old_progress integer,
                new_progress integer,
                old_deadline date,
                new_deadline date
            );
            CREATE INDEX rectify_task_history_task ON rectify_task_history (task, id);
            """),
        Migration(version: 2, name: "ops offices, submission jobs, inbox", sql: """
            -- An ops office runs the ops page's actions; it has no region.
            ALTER TABLE rectify_offices DROP CONSTRAINT rectify_offices_role_check;
            ALTER TABLE rectify_offices ALTER COLUMN region DROP NOT NULL;
            ALTER TABLE rectify_offices ADD CONSTRAINT rectify_offices_role_check
                CHECK (role IN ('county', 'city', 'province', 'ops') AND (role = 'ops') = (region IS NULL));

            -- The job that applies a submission: the answer a re-sent submission_id gets again.
            ALTER TABLE rectify_progress_submissions ADD COLUMN job_id bigint;
            CREATE INDEX rectify_progress_submissions_job ON rectify_progress_submissions (job_id);

            -- Which notifications an office has read (its inbox's unread filter).
            CREATE TABLE rectify_notification_reads (
                notification bigint      NOT NULL,
                office       bigint      NOT NULL REFERENCES rectify_offices (id),
                read_at      timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (office, notification)
            );
            """),
    ])
}
