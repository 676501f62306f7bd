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
        Migration(version: 6, name: "finished jobs in partitions by day, dropped whole", sql: """
            -- A year of finished jobs in one table made every pruning pass a delete of rows one by
            -- one (dead rows, then a vacuum of a table of millions, during the drain) and every
            -- count of them a scan of the year. Each partition now holds the jobs that finished on
            -- a run of whole days (UTC), and pruning detaches and drops the partitions older than the
            -- retention. Partitions are named for their bounds: rectify_finished_jobs_FROM_TO.
            ALTER TABLE rectify_finished_jobs RENAME TO rectify_finished_jobs_v5;
            ALTER INDEX rectify_finished_jobs_pkey RENAME TO rectify_finished_jobs_v5_pkey;
            ALTER INDEX rectify_finished_jobs_finished_at RENAME TO rectify_finished_jobs_v5_finished_at;

            CREATE TABLE rectify_finished_jobs (
                id           bigint      NOT NULL,
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
            ) PARTITION BY RANGE (finished_at);
            -- Lookups by id. Ids come from rectify_jobs' primary key, so they are unique already.
            CREATE INDEX rectify_finished_jobs_id ON rectify_finished_jobs (id);
            -- Ranges of finished_at within a partition. Rows arrive in finished_at order, so a
            -- BRIN index serves at almost no cost per job.
            CREATE INDEX rectify_finished_jobs_finished_at ON rectify_finished_jobs USING brin (finished_at);
            -- Failed jobs, a small share of all: `queue list --state discarded` (newest id first)
            -- and the ops page's recent failures (newest first) read these instead of the year.
            CREATE INDEX rectify_finished_jobs_failed_id ON rectify_finished_jobs (id) WHERE state IN ('discarded', 'cancelled');
            CREATE INDEX rectify_finished_jobs_failed_at ON rectify_finished_jobs (finished_at) WHERE state IN ('discarded', 'cancelled');

            -- Makes every day from from_day up to (not including) to_day belong to a partition,
            -- creating partitions of width_days days (fewer where the next partition begins).
            -- A new partition is created on its own and then attached, which takes a lock that
            -- lets jobs go on finishing. Returns how many partitions it created.
            CREATE FUNCTION rectify_cover_finished_days(from_day date, to_day date, width_days integer)
            RETURNS integer LANGUAGE plpgsql SET enable_sort = on AS $fn$
            DECLARE
                day date := from_day;
                covering record;
                upto date;
                name text;
                made integer := 0;
            BEGIN
                -- One session at a time, so that two workers do not create the same days.
                PERFORM pg_advisory_xact_lock(hashtext('rectify_finished_jobs partitions'));
                WHILE day < to_day LOOP
                    SELECT to_date(substring(c.relname FROM '^rectify_finished_jobs_(\\d{8})_\\d{8}$'), 'YYYYMMDD') AS lower,
                           to_date(substring(c.relname FROM '^rectify_finished_jobs_\\d{8}_(\\d{8})$'), 'YYYYMMDD') AS upper
                    INTO covering
                    FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
                    WHERE i.inhparent = 'rectify_finished_jobs'::regclass
                      AND to_date(substring(c.relname FROM '^rectify_finished_jobs_\\d{8}_(\\d{8})$'), 'YYYYMMDD') > day
                    ORDER BY 1 LIMIT 1;
                    IF FOUND AND covering.lower <= day THEN
                        day := covering.upper;
                        CONTINUE;
                    END IF;
                    upto := day + width_days;
                    IF FOUND AND covering.lower < upto THEN upto := covering.lower; END IF;
                    name := format('rectify_finished_jobs_%s_%s', to_char(day, 'YYYYMMDD'), to_char(upto, 'YYYYMMDD'));
                    EXECUTE format('CREATE TABLE %I (LIKE rectify_finished_jobs INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name);
                    EXECUTE format('ALTER TABLE rectify_finished_jobs ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                                   name, day::timestamp AT TIME ZONE 'UTC', upto::timestamp AT TIME ZONE 'UTC');
                    made := made + 1;
                    day := upto;
                END LOOP;
                RETURN made;
            END
            $fn$;

            -- Finished jobs per hour, queue and state, kept as changes that add up: each statement
            -- that moves jobs in or out appends one row per group (no row is updated, so finishing
            -- jobs never wait on each other here), and housekeeping adds the rows up from time to
            -- time. `queue stats`, /metrics and the ops page read these instead of counting jobs.
            CREATE TABLE rectify_finished_counts (
                hour  timestamptz NOT NULL,
                queue text        NOT NULL,
                state text        NOT NULL,
                jobs  bigint      NOT NULL
            );
            CREATE FUNCTION rectify_count_finished() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                IF TG_OP = 'TRUNCATE' THEN
                    DELETE FROM rectify_finished_counts;
                    RETURN NULL;
                END IF;
                IF TG_OP IN ('DELETE', 'UPDATE') THEN
                    INSERT INTO rectify_finished_counts
                    SELECT date_trunc('hour', finished_at, 'UTC'), queue, state, -count(*) FROM departed GROUP BY 1, 2, 3;
                END IF;
                IF TG_OP IN ('INSERT', 'UPDATE') THEN
                    INSERT INTO rectify_finished_counts
                    SELECT date_trunc('hour', finished_at, 'UTC'), queue, state, count(*) FROM arrived GROUP BY 1, 2, 3;
                END IF;
                RETURN NULL;
            END
            $fn$;
            CREATE TRIGGER rectify_count_arrivals AFTER INSERT ON rectify_finished_jobs
                REFERENCING NEW TABLE AS arrived FOR EACH STATEMENT EXECUTE FUNCTION rectify_count_finished();
            CREATE TRIGGER rectify_count_departures AFTER DELETE ON rectify_finished_jobs
                REFERENCING OLD TABLE AS departed FOR EACH STATEMENT EXECUTE FUNCTION rectify_count_finished();
            CREATE TRIGGER rectify_count_changes AFTER UPDATE ON rectify_finished_jobs
                REFERENCING OLD TABLE AS departed NEW TABLE AS arrived FOR EACH STATEMENT EXECUTE FUNCTION rectify_count_finished();
            CREATE TRIGGER rectify_count_truncation AFTER TRUNCATE ON rectify_finished_jobs
                FOR EACH STATEMENT EXECUTE FUNCTION rectify_count_finished();

            -- The jobs finished so far, in partitions of one day each (housekeeping makes the later
            -- ones as wide as the retention asks), and the week to come.
            SELECT rectify_cover_finished_days(
                coalesce((SELECT min(finished_at AT TIME ZONE 'UTC')::date FROM rectify_finished_jobs_v5),
                         (now() AT TIME ZONE 'UTC')::date),
                greatest((now() AT TIME ZONE 'UTC')::date + 8,
                         (SELECT max(finished_at AT TIME ZONE 'UTC')::date + 1 FROM rectify_finished_jobs_v5)), 1);
            INSERT INTO rectify_finished_jobs (id, kind, queue, args, priority, state, attempt, max_attempts, run_at, unique_key,
                                               errors, created_at, attempted_at, attempted_by, finished_at)
            SELECT id, kind, queue, args, priority, state, attempt, max_attempts, run_at, unique_key,
                   errors, created_at, attempted_at, attempted_by, finished_at
            FROM rectify_finished_jobs_v5;
            DROP TABLE rectify_finished_jobs_v5;
            """),
    ])
}
