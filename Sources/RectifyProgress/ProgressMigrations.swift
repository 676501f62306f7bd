public import RectifyPostgres

/// The progress module's schema (component `progress`): the history of every change to a task.
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
    ])
}
