public import RectifyPostgres

/// The ledger's records of its tasks (component `progress`, the name it had when another module
/// kept them, kept for the databases migrated then): the history of every change to a task,
/// the ops offices and the submissions' jobs, the task listing that task lists read, and the
/// views that say which office answers for which task and who is due to report.
///
/// Runs after the ledger's own migrations, whose tasks it refers to.
public enum TaskRecordMigrations {
    /// The migrator for the task records.
    public static let migrator = Migrator(component: "progress", follows: ["ledger"], migrations: [
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
            -- The inbox's read marks, once created here, belong to the reports (their version 4).
            """),
        Migration(version: 3, name: "task listing", sql: """
            -- Each task as a task list shows it: the columns the lists filter on, and the task's
            -- JSON with the names of its region and lead unit, keys sorted, in two halves around
            -- "overdue" (which depends on the day it is read): `{"category":…,"lead_unit_name":…`
            -- and `"progress":…,"title":…}`. A page then reads its rows from this one table
            -- instead of joining three and rendering every task's JSON on every request.
            CREATE TABLE rectify_task_listing (
                task      text PRIMARY KEY,
                lead_unit text NOT NULL,
                status    text NOT NULL,
                deadline  date NOT NULL,
                json_head text NOT NULL,
                json_tail text NOT NULL
            );
            CREATE INDEX rectify_task_listing_lead_unit ON rectify_task_listing (lead_unit);

            -- What the listing holds for each task, from the ledger's tables as they stand.
            CREATE VIEW rectify_task_listing_source AS
            SELECT t.id AS task, t.lead_unit, t.status, t.deadline,
                   left(row_to_json(head)::text, -1) AS json_head, substr(row_to_json(tail)::text, 2) AS json_tail
            FROM rectify_tasks t
            JOIN rectify_units u ON u.id = t.lead_unit
            JOIN rectify_regions r ON r.code = t.region
            CROSS JOIN LATERAL (SELECT t.category, t.closed_on, t.deadline, t.id, t.lead_unit, u.name AS lead_unit_name) AS head
            CROSS JOIN LATERAL (SELECT t.progress, t.region, r.name AS region_name, t.round, t.status, t.title) AS tail;

            -- Triggers keep the listing current whoever writes the ledger's tables (an import,
            -- a submission's job, a decision, an extension), once per statement, set-based: an
            -- import of a hundred thousand tasks refreshes their rows in one join. Task ids never
            -- change (the ledger merges by id). A connection's first refreshes are planned for
            -- their own ids, so an import's hundred thousand tasks are read by one scan with a
            -- hashed filter; later ones may keep a generic plan that finds each task by key,
            -- which a single task's change wants (planning each time cost it 0.35 ms).
            CREATE FUNCTION rectify_task_listing_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                tasks text[];
            BEGIN
                IF TG_OP = 'TRUNCATE' THEN
                    TRUNCATE rectify_task_listing;
                    RETURN NULL;
                ELSIF TG_OP = 'DELETE' THEN
                    DELETE FROM rectify_task_listing WHERE task IN (SELECT id FROM gone);
                    RETURN NULL;
                ELSIF TG_TABLE_NAME = 'rectify_tasks' THEN
                    tasks := ARRAY(SELECT id FROM changed);
                ELSIF TG_TABLE_NAME = 'rectify_units' THEN
                    tasks := ARRAY(SELECT t.id FROM rectify_tasks t WHERE t.lead_unit IN (SELECT id FROM changed));
                ELSE
                    tasks := ARRAY(SELECT t.id FROM rectify_tasks t WHERE t.region IN (SELECT code FROM changed));
                END IF;
                IF TG_OP = 'INSERT' THEN
                    INSERT INTO rectify_task_listing SELECT * FROM rectify_task_listing_source WHERE task = ANY(tasks);
                    RETURN NULL;
                END IF;
                -- The rows are locked first, in task order, and refreshed by a second statement,
                -- which reads with a new snapshot: a refresh that waited for another
                -- transaction's refresh of the same task (a rename while a submission's job
                -- changes one of its tasks) then sees what that transaction committed, instead
                -- of writing the task as it stood before.
                PERFORM FROM rectify_task_listing WHERE task = ANY(tasks) ORDER BY task FOR UPDATE;
                UPDATE rectify_task_listing l
                SET lead_unit = s.lead_unit, status = s.status, deadline = s.deadline, json_head = s.json_head, json_tail = s.json_tail
                FROM rectify_task_listing_source s WHERE s.task = l.task AND s.task = ANY(tasks);
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER rectify_task_listing_inserted AFTER INSERT ON rectify_tasks
                REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION rectify_task_listing_refresh();
            CREATE TRIGGER rectify_task_listing_updated AFTER UPDATE ON rectify_tasks
                REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION rectify_task_listing_refresh();
            CREATE TRIGGER rectify_task_listing_deleted AFTER DELETE ON rectify_tasks
                REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION rectify_task_listing_refresh();
            CREATE TRIGGER rectify_task_listing_truncated AFTER TRUNCATE ON rectify_tasks
                FOR EACH STATEMENT EXECUTE FUNCTION rectify_task_listing_refresh();
            CREATE TRIGGER rectify_task_listing_units AFTER UPDATE ON rectify_units
                REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION rectify_task_listing_refresh();
            CREATE TRIGGER rectify_task_listing_regions AFTER UPDATE ON rectify_regions
                REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION rectify_task_listing_refresh();

            INSERT INTO rectify_task_listing SELECT * FROM rectify_task_listing_source;
            """),
        Migration(version: 4, name: "office tasks and who is due to report", sql: """
            -- Which active office answers for which task: the ledger's scope rule
            -- (rectify_unit_scope) applied to the task's lead unit. Databases migrated before
            -- this version have this view from the reports schema's version 2, which tested the
            -- task's region instead of its lead unit's; it is replaced.
            CREATE OR REPLACE VIEW rectify_office_tasks AS
                SELECT o.id AS office, t.id AS task
                FROM rectify_tasks t
                JOIN rectify_unit_scope s ON s.unit = t.lead_unit
                JOIN rectify_offices o ON o.region = s.region
                WHERE o.revoked_at IS NULL;

            -- An office is due to report for a task that is not finished (neither accepted nor
            -- closed) whose lead unit sits in the office's own region, not a region below it.
            CREATE VIEW rectify_due_to_report AS
                SELECT o.id AS office, t.id AS task, t.round, t.lead_unit
                FROM rectify_offices o
                JOIN rectify_units u ON u.region = o.region
                JOIN rectify_tasks t ON t.lead_unit = u.id
                WHERE o.revoked_at IS NULL AND t.status NOT IN ('accepted', 'closed');
            """),
        Migration(version: 5, name: "deadline extensions", sql: """
            -- Every extended task's deadlines (延期), for reports to show beside the deadline:
            -- the deadline before its first extension, the latest one and the latest reason.
            CREATE VIEW rectify_task_extensions AS
                SELECT task, min(old_deadline) AS original_deadline,
                       (array_agg(new_deadline ORDER BY id DESC))[1] AS extended_to,
                       (array_agg(note ORDER BY id DESC))[1] AS reason
                FROM rectify_task_history WHERE source = 'extension' GROUP BY task;
            """),
        Migration(version: 6, name: "the ledger's published read views", sql: """
            -- What other modules read of the ledger (the reports' figures, the progress jobs,
            -- the command line): one view per table, naming the columns it publishes, so the
            -- ledger may change a table's other columns, or the table behind a view, while the
            -- view keeps its shape. Offices are published without their token hashes. Other
            -- modules only read these views; every write goes through the ledger's Swift API.
            CREATE VIEW rectify_ledger_regions AS SELECT code, name, level, parent FROM rectify_regions;
            CREATE VIEW rectify_ledger_units AS SELECT id, name, region, kind FROM rectify_units;
            CREATE VIEW rectify_ledger_rounds AS
                SELECT id, name, inspection_group, region, inspected_from, inspected_to, feedback_on FROM rectify_rounds;
            CREATE VIEW rectify_ledger_tasks AS
                SELECT id, round, title, category, region, lead_unit, deadline, status, progress, closed_on FROM rectify_tasks;
            CREATE VIEW rectify_ledger_petitions AS
                SELECT id, round, region, received_on, category, status, closed_on FROM rectify_petitions;
            CREATE VIEW rectify_ledger_cases AS
                SELECT id, round, region, source, opened_on, concluded_on FROM rectify_accountability_cases;
            CREATE VIEW rectify_ledger_case_units AS SELECT case_id, ordinal, unit FROM rectify_accountability_units;
            CREATE VIEW rectify_ledger_case_persons AS
                SELECT case_id, ordinal, name, position, rank, sanction FROM rectify_accountability_persons;
            CREATE VIEW rectify_ledger_offices AS SELECT id, region, name, role, created_at, revoked_at FROM rectify_offices;
            CREATE VIEW rectify_ledger_submissions AS
                SELECT submission_id, office, task, period, progress, status, summary, evidence, submitted_at, job_id
                FROM rectify_progress_submissions;
            """),
        Migration(version: 7, name: "only unfinished tasks are due to report", sql: """
            -- A task pending acceptance is finished on the unit's side and waits on the province:
            -- its office is no longer due to report on it. Only not_started and in_progress tasks
            -- make an office due to report.
            CREATE OR REPLACE VIEW rectify_due_to_report AS
                SELECT o.id AS office, t.id AS task, t.round, t.lead_unit
                FROM rectify_offices o
                JOIN rectify_units u ON u.region = o.region
                JOIN rectify_tasks t ON t.lead_unit = u.id
                WHERE o.revoked_at IS NULL AND t.status IN ('not_started', 'in_progress');
            """),
        Migration(version: 8, name: "submission ids are each office's own", sql: """
            -- A submission_id is the office's idempotency key: another office may use the same
            -- string for its own submission and learns nothing of the first one's.
            ALTER TABLE rectify_progress_submissions DROP CONSTRAINT rectify_progress_submissions_pkey;
            ALTER TABLE rectify_progress_submissions
                ADD CONSTRAINT rectify_progress_submissions_pkey PRIMARY KEY (office, submission_id);
            """),
        Migration(version: 9, name: "who sent a submission", sql: """
            -- The person who sent a submission on the desk (张伟 (灵寿县生态环境分局)); NULL
            -- when the office's systems sent it with its token.
            ALTER TABLE rectify_progress_submissions ADD COLUMN submitted_by text;
            CREATE OR REPLACE VIEW rectify_ledger_submissions AS
                SELECT submission_id, office, task, period, progress, status, summary, evidence, submitted_at, job_id, submitted_by
                FROM rectify_progress_submissions;
            """),
        Migration(version: 10, name: "objections from the public", sql: """
            -- An objection a member of the public raised on the public notice page against the
            -- close-out of an accepted task, and the province's decision on it. `acceptance` is the
            -- history entry of the acceptance whose notice it was raised in.
            CREATE TABLE rectify_public_objections (
                id              bigserial   PRIMARY KEY,
                task            text        NOT NULL REFERENCES rectify_tasks (id),
                acceptance      bigint      NOT NULL REFERENCES rectify_task_history (id),
                name            text        NOT NULL CHECK (name <> ''),
                contact         text        NOT NULL CHECK (contact <> ''),
                reason          text        NOT NULL CHECK (reason <> ''),
                address         text        NOT NULL,
                received_at     timestamptz NOT NULL DEFAULT now(),
                decision        text        CHECK (decision IN ('upheld', 'dismissed')),
                decision_reason text,
                decided_by      text,
                decided_at      timestamptz,
                CHECK ((decision IS NULL) = (decided_at IS NULL))
            );
            CREATE INDEX rectify_public_objections_pending ON rectify_public_objections (acceptance) WHERE decision IS NULL;
            CREATE INDEX rectify_public_objections_address ON rectify_public_objections (address, received_at);
            """),
        Migration(version: 11, name: "a lead unit's own office", sql: """
            -- A lead unit's own office (a provincial department's) answers for its unit's tasks
            -- only: it has a unit and no region, like ops has neither.
            ALTER TABLE rectify_offices ADD COLUMN unit text REFERENCES rectify_units (id);
            ALTER TABLE rectify_offices DROP CONSTRAINT rectify_offices_role_check;
            ALTER TABLE rectify_offices ADD CONSTRAINT rectify_offices_role_check
                CHECK (role IN ('county', 'city', 'province', 'ops', 'unit')
                       AND (role IN ('ops', 'unit')) = (region IS NULL) AND (role = 'unit') = (unit IS NOT NULL));
            CREATE OR REPLACE VIEW rectify_ledger_offices AS
                SELECT id, region, name, role, created_at, revoked_at, unit FROM rectify_offices;
            """),
        Migration(version: 12, name: "evidence files", sql: """
            -- Evidence files (PDF, JPEG, PNG, DOCX, XLSX), kept once by their SHA-256, their
            -- bytes in chunks of 1 MiB so that a download streams; and which office uploaded
            -- which (a submission may cite only its own office's uploads).
            CREATE TABLE rectify_evidence_files (
                sha256     text        PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
                media_type text        NOT NULL,
                size       bigint      NOT NULL CHECK (size > 0),
                created_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE rectify_evidence_chunks (
                sha256 text    NOT NULL REFERENCES rectify_evidence_files (sha256) ON DELETE CASCADE,
                seq    integer NOT NULL,
                data   bytea   NOT NULL,
                PRIMARY KEY (sha256, seq)
            );
            CREATE TABLE rectify_evidence_uploads (
                office      bigint      NOT NULL REFERENCES rectify_offices (id),
                sha256      text        NOT NULL REFERENCES rectify_evidence_files (sha256),
                name        text        NOT NULL CHECK (name <> ''),
                uploaded_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (office, sha256)
            );
            """),
        Migration(version: 13, name: "a lead unit's own office answers for its unit's tasks", sql: """
            -- A unit's own office answers for its unit's tasks beside the offices of the regions
            -- above it: it is reminded of them too.
            CREATE OR REPLACE VIEW rectify_office_tasks AS
                SELECT o.id AS office, t.id AS task
                FROM rectify_tasks t
                JOIN rectify_unit_scope s ON s.unit = t.lead_unit
                JOIN rectify_offices o ON o.region = s.region
                WHERE o.revoked_at IS NULL
                UNION ALL
                SELECT o.id, t.id
                FROM rectify_tasks t
                JOIN rectify_offices o ON o.unit = t.lead_unit
                WHERE o.revoked_at IS NULL;
            """),
        Migration(version: 14, name: "the acceptance floor by index", sql: """
            -- Every submission reads its task's last accepted progress (TaskState): the newest
            -- acceptance in the task's history, found here without sorting the task's entries.
            CREATE INDEX rectify_task_history_acceptance ON rectify_task_history (task, id) WHERE source = 'acceptance';
            """),
    ])
}
