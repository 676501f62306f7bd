public import RectifyPostgres

/// The queue's schema, as versioned migrations of component `queue`.
///
/// Live jobs (`available`, `scheduled`, `running`, `retryable`) sit in `rectify_jobs`, the table
/// workers claim from; finished ones (`completed`, `discarded`, `cancelled`) move to
/// `rectify_finished_jobs` in the same statement that finishes them. The hot table therefore
/// holds only work still to do and stays small however long finished jobs are kept.
public enum QueueMigrations {
    /// The migrator for the queue schema.
    public static let migrator = Migrator(component: "queue", migrations: [
        Migration(version: 1, name: "jobs", sql: """
            CREATE TABLE rectify_jobs (
                id               bigserial   PRIMARY KEY,
                kind             text        NOT NULL CHECK (kind <> ''),
                queue            text        NOT NULL DEFAULT 'default' CHECK (queue <> ''),
                args             jsonb       NOT NULL DEFAULT '{}',
                priority         smallint    NOT NULL DEFAULT 0,
                state            text        NOT NULL DEFAULT 'available'
                                 CHECK (state IN ('available', 'scheduled', 'running', 'retryable')),
                attempt          integer     NOT NULL DEFAULT 0 CHECK (attempt >= 0),
                max_attempts     integer     NOT NULL DEFAULT 20 CHECK (max_attempts > 0),
                run_at           timestamptz NOT NULL DEFAULT now(),
                unique_key       text,
                errors           jsonb       NOT NULL DEFAULT '[]',
                created_at       timestamptz NOT NULL DEFAULT now(),
                attempted_at     timestamptz,
                attempted_by     text,
                lease_expires_at timestamptz
            ) WITH (fillfactor = 85, autovacuum_vacuum_scale_factor = 0.02,
                    autovacuum_vacuum_threshold = 500, autovacuum_vacuum_cost_delay = 0);

            -- Claiming: the next available jobs of a queue in priority order.
            CREATE INDEX rectify_jobs_claim ON rectify_jobs (queue, priority, run_at, id) WHERE state = 'available';
            -- Promotion of scheduled and retryable jobs whose time has come.
            CREATE INDEX rectify_jobs_due ON rectify_jobs (run_at) WHERE state IN ('scheduled', 'retryable');
            -- Rescue of expired leases. Indexes no lease column, so heartbeats stay HOT updates.
            CREATE INDEX rectify_jobs_running ON rectify_jobs (id) WHERE state = 'running';
            -- At most one live job per unique key, enforced by the database.
            CREATE UNIQUE INDEX rectify_jobs_unique_key ON rectify_jobs (unique_key) WHERE unique_key IS NOT NULL;

            CREATE TABLE rectify_finished_jobs (
                id           bigint      PRIMARY KEY,
                kind         text        NOT NULL,
                queue        text        NOT NULL,
                args         jsonb       NOT NULL,
                priority     smallint    NOT NULL,
                state        text        NOT NULL CHECK (state IN ('completed', 'discarded', 'cancelled')),
                attempt      integer     NOT NULL,
                max_attempts integer     NOT NULL,
                run_at       timestamptz NOT NULL,
                unique_key   text,
                errors       jsonb       NOT NULL,
                created_at   timestamptz NOT NULL,
                attempted_at timestamptz,
                attempted_by text,
                finished_at  timestamptz NOT NULL DEFAULT now()
            );
            -- Rows arrive in finished_at order, so a BRIN index serves pruning at almost no
            -- cost per finished job (a B-tree here cost a tenth of the drain rate).
            CREATE INDEX rectify_finished_jobs_finished_at ON rectify_finished_jobs USING brin (finished_at);

            CREATE TABLE rectify_workers (
                id           text        PRIMARY KEY,
                host         text        NOT NULL,
                pid          integer     NOT NULL,
                queues       text[]      NOT NULL,
                started_at   timestamptz NOT NULL DEFAULT now(),
                last_seen_at timestamptz NOT NULL DEFAULT now()
            );

            -- The retry delay after a failed attempt: exponential, capped, with ±10% jitter so
            -- that jobs failing together do not retry together.
            CREATE FUNCTION rectify_retry_delay(attempt integer, base_ms bigint, max_ms bigint)
            RETURNS interval LANGUAGE sql VOLATILE AS $$
                SELECT least(base_ms * power(2, greatest(attempt - 1, 0))::float8, max_ms::float8)
                       * (0.9 + random() * 0.2) * interval '1 millisecond'
            $$;
            """),
        Migration(version: 2, name: "vacuum the live jobs table eagerly", sql: """
            -- Every job leaves two dead rows here (its claim and its move to the finished table).
            -- With the default settings a drain of 100,000 jobs outran autovacuum: the table grew
            -- to a million dead rows, claims slowed to seconds, leases ran out and rescued jobs
            -- ran again. Vacuum after every 10,000 dead rows, unthrottled: the table holds only
            -- the work still to do, so each pass is short.
            ALTER TABLE rectify_jobs SET (
                autovacuum_vacuum_scale_factor = 0,
                autovacuum_vacuum_threshold = 10000,
                autovacuum_vacuum_cost_delay = 0,
                autovacuum_analyze_scale_factor = 0,
                autovacuum_analyze_threshold = 10000
            );
            """),
        Migration(version: 3, name: "per-job timeout", sql: """
            -- A job's own limit on how long one attempt may run, overriding its kind's.
            ALTER TABLE rectify_jobs ADD COLUMN timeout_ms integer CHECK (timeout_ms > 0);
            """),
        Migration(version: 4, name: "paused queues", sql: """
            -- Queues an operator paused: no worker claims from a queue listed here.
            CREATE TABLE rectify_paused_queues (
                queue     text        PRIMARY KEY CHECK (queue <> ''),
                paused_at timestamptz NOT NULL DEFAULT now()
            );
            """),
        Migration(version: 5, name: "the enqueued job's id for other modules", sql: """
            -- The id of the job this session enqueued last (JobQueue.enqueue(_:along:on:)), for
            -- another module's statement sent along with it, such as the ledger's submission.
            CREATE FUNCTION rectify_enqueued_job_id() RETURNS bigint LANGUAGE sql VOLATILE
                AS $$ SELECT currval('rectify_jobs_id_seq') $$;
            """),
    ])
}
