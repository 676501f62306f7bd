import RectifyPostgres

/// The statements behind ``JobQueue``, in one place so their fencing can be read together.
///
/// Every statement a worker issues about a job it holds matches `id`, `attempt` and
/// `state = 'running'`: a worker whose lease was rescued and claimed again matches nothing.
enum JobQueueSQL {
    /// Columns copied when a live job moves to `rectify_finished_jobs`.
    static let movedColumns = """
        id, kind, queue, args, priority, attempt, max_attempts, run_at, unique_key, created_at, attempted_at, attempted_by
        """

    /// Inserts a batch in one statement. Ids come from the sequence in the order of the batch
    /// (the insert reads its rows sorted by ordinality), so sorted ids map back to requests;
    /// rows skipped for a taken unique key return no id and are matched by key. Each row is
    /// `id, unique_key, state` (`available`, or `scheduled` for a later `run_at`).
    ///
    /// With `notify`, the statement also queues a `NOTIFY` per queue that got an available job,
    /// delivered when the transaction commits. Without it the caller sends ``wakeForEnqueued``
    /// after the commit.
    ///
    /// A single request is inserted from `VALUES`: unnesting eight one-element arrays and
    /// sorting them cost the server more than the row itself.
    static func enqueue(_ requests: ArraySlice<JobRequest>, notify: Bool = true) -> PostgresQuery {
        if requests.count == 1, let request = requests.first { return enqueue(request, notify: notify) }
        let kinds = requests.map(\.kind)
        let queues = requests.map(\.queue)
        let args = requests.map(\.argsJSON)
        let priorities = requests.map(\.priority)
        let runAts = requests.map(\.runAt)
        let maxAttempts = requests.map(\.maxAttempts)
        let uniqueKeys = requests.map(\.uniqueKey)
        let timeouts = requests.map { $0.timeout.map { Int32(clamping: $0.milliseconds) } }
        return """
            WITH inserted AS (
                INSERT INTO rectify_jobs (kind, queue, args, priority, state, max_attempts, run_at, unique_key, timeout_ms)
                SELECT kind, queue, args::jsonb, priority,
                       CASE WHEN run_at > now() THEN 'scheduled' ELSE 'available' END,
                       max_attempts, coalesce(run_at, now()), unique_key, timeout_ms
                FROM unnest(\(kinds)::text[], \(queues)::text[], \(args)::text[], \(priorities)::int2[],
                            \(runAts)::timestamptz[], \(maxAttempts)::int4[], \(uniqueKeys)::text[], \(timeouts)::int4[])
                     WITH ORDINALITY AS i(kind, queue, args, priority, run_at, max_attempts, unique_key, timeout_ms, ord)
                ORDER BY ord
                ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL DO NOTHING
                RETURNING id, queue, state, unique_key
            ), notified AS (
                SELECT count(pg_notify('\(unescaped: JobQueue.notificationChannel)', queue)) AS queues
                FROM (SELECT DISTINCT queue FROM inserted WHERE state = 'available' AND \(unescaped: notify ? "true" : "false")) AS ready
            )
            SELECT id, unique_key, state FROM inserted CROSS JOIN notified ORDER BY id
            """
    }

    private static func enqueue(_ request: JobRequest, notify: Bool) -> PostgresQuery {
        let timeout = request.timeout.map { Int32(clamping: $0.milliseconds) }
        return """
            WITH inserted AS (
                INSERT INTO rectify_jobs (kind, queue, args, priority, state, max_attempts, run_at, unique_key, timeout_ms)
                VALUES (\(request.kind), \(request.queue), \(request.argsJSON)::jsonb, \(request.priority),
                        CASE WHEN \(request.runAt)::timestamptz > now() THEN 'scheduled' ELSE 'available' END,
                        \(request.maxAttempts), coalesce(\(request.runAt)::timestamptz, now()), \(request.uniqueKey), \(timeout))
                ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL DO NOTHING
                RETURNING id, queue, state, unique_key
            ), notified AS (
                SELECT count(pg_notify('\(unescaped: JobQueue.notificationChannel)', queue)) AS queues
                FROM inserted WHERE state = 'available' AND \(unescaped: notify ? "true" : "false")
            )
            SELECT id, unique_key, state FROM inserted CROSS JOIN notified
            """
    }

    /// Wakes the workers of the session's last enqueued job's queue (``JobQueue/enqueuedJobID``)
    /// after an enqueue committed without ``enqueue(_:notify:)``'s `NOTIFY`, when that job is
    /// available (one that waits for its `run_at` is left to the workers' poll).
    ///
    /// A transaction that notifies holds one database-wide lock from its commit until it
    /// returns, WAL flush included, so concurrent notifying commits queue behind each other's
    /// flushes; this one has nothing to make durable and does not wait for the flush. The id is
    /// read once, as a sub-select, and the state is checked above an `OFFSET 0` fence, so that
    /// the primary key finds the row: with `state = 'available'` beside the id, the planner may
    /// scan the whole claim index (which holds the id) instead.
    static let wakeForEnqueued: PostgresQuery = """
        SELECT set_config('synchronous_commit', 'off', true), pg_notify('\(unescaped: JobQueue.notificationChannel)', job.queue)
        FROM (SELECT queue, state FROM rectify_jobs WHERE id = (SELECT \(unescaped: JobQueue.enqueuedJobID)) OFFSET 0) AS job
        WHERE job.state = 'available'
        """

    /// Claims the next available jobs of `queue` whose kind is among `kinds`, unless the queue
    /// is paused. The pause check does not depend on the row, so PostgreSQL evaluates it once
    /// per statement (a one-time filter, one primary-key probe); the kind filter is checked on
    /// the claim index's rows in order, so the scan stays on `rectify_jobs_claim`. The picked
    /// ids come back as an array the update looks up by primary key, which costs less than
    /// joining a CTE of them and keeps one plan shape whatever the limit. `RETURNING` promises
    /// no order; ``JobQueue/claim(queue:kinds:limit:workerID:lease:)`` sorts the rows by id.
    static func claim(queue: String, kinds: [String], limit: Int, workerID: String, lease: Duration) -> PostgresQuery {
        """
        UPDATE rectify_jobs AS j
        SET state = 'running', attempt = j.attempt + 1, attempted_at = now(), attempted_by = \(workerID),
            lease_expires_at = now() + \(lease.milliseconds) * interval '1 millisecond'
        WHERE j.id = ANY(ARRAY(
            SELECT id FROM rectify_jobs
            WHERE state = 'available' AND queue = \(queue) AND kind = ANY(\(kinds)::text[])
              AND NOT EXISTS (SELECT FROM rectify_paused_queues WHERE queue = \(queue))
            ORDER BY priority, run_at, id
            LIMIT \(limit)
            FOR UPDATE SKIP LOCKED
        ))
        RETURNING j.id, j.kind, j.queue, j.args::text, j.priority, j.attempt, j.max_attempts, j.run_at, j.created_at,
                  j.timeout_ms
        """
    }

    /// Locks a running job's row for the rest of the caller's transaction, fenced by its lease.
    /// Heartbeats and the rescuer skip locked rows, so a job inside its handler's transaction is
    /// neither renewed (which would break a repeatable-read completion) nor rescued.
    static func lock(_ lease: JobLease) -> PostgresQuery {
        """
        SELECT id FROM rectify_jobs
        WHERE id = \(lease.id) AND attempt = \(lease.attempt) AND state = 'running'
        FOR UPDATE
        """
    }

    /// Moves running jobs held by `leases` to a finished state, appending `error` if given.
    /// `finished_at` is the clock's time: in a handler's own transaction `now()` would be when
    /// that transaction began, which would hide how long the job ran.
    static func finish(_ leases: [JobLease], as state: JobState, error: JobErrorRecord?) -> PostgresQuery {
        """
        WITH finished AS (
            DELETE FROM rectify_jobs AS j
            USING unnest(\(leases.map(\.id))::int8[], \(leases.map(\.attempt))::int4[]) AS l(id, attempt)
            WHERE j.id = l.id AND j.attempt = l.attempt AND j.state = 'running'
            RETURNING j.*
        )
        INSERT INTO rectify_finished_jobs (\(unescaped: movedColumns), state, errors, finished_at)
        SELECT \(unescaped: movedColumns), \(state.rawValue), errors || coalesce(\(error?.appendableJSON)::jsonb, '[]'), clock_timestamp()
        FROM finished
        RETURNING id
        """
    }

    static func retry(_ lease: JobLease, error: JobErrorRecord, policy: RetryPolicy) -> PostgresQuery {
        """
        UPDATE rectify_jobs
        SET state = 'retryable', lease_expires_at = NULL, errors = errors || \(error.appendableJSON)::jsonb,
            run_at = now() + rectify_retry_delay(attempt, \(policy.base.milliseconds), \(policy.maximum.milliseconds))
        WHERE id = \(lease.id) AND attempt = \(lease.attempt) AND state = 'running'
        RETURNING id
        """
    }

    static func snooze(_ lease: JobLease, delay: Duration) -> PostgresQuery {
        """
        UPDATE rectify_jobs
        SET state = 'scheduled', lease_expires_at = NULL, max_attempts = max_attempts + 1,
            run_at = now() + \(delay.milliseconds) * interval '1 millisecond'
        WHERE id = \(lease.id) AND attempt = \(lease.attempt) AND state = 'running'
        RETURNING id
        """
    }

    static func release(_ leases: [JobLease]) -> PostgresQuery {
        """
        WITH released AS (
            UPDATE rectify_jobs AS j
            SET state = 'available', lease_expires_at = NULL, max_attempts = j.max_attempts + 1
            FROM unnest(\(leases.map(\.id))::int8[], \(leases.map(\.attempt))::int4[]) AS l(id, attempt)
            WHERE j.id = l.id AND j.attempt = l.attempt AND j.state = 'running'
            RETURNING j.id, j.queue
        )
        SELECT id, pg_notify('\(unescaped: JobQueue.notificationChannel)', queue)::text FROM released
        """
    }

    /// Extends the leases still held and returns them. Rows locked by their handler's own
    /// transaction are held (the lock proves the worker is alive, and the rescuer skips them)
    /// but not updated: an update committed beside a repeatable-read transaction would make
    /// that transaction's completion fail with a serialization error.
    static func heartbeat(_ leases: [JobLease], lease: Duration) -> PostgresQuery {
        let ids = leases.map(\.id)
        let attempts = leases.map(\.attempt)
        return """
            WITH renewable AS (
                SELECT j.id FROM rectify_jobs AS j
                JOIN unnest(\(ids)::int8[], \(attempts)::int4[]) AS l(id, attempt) ON j.id = l.id AND j.attempt = l.attempt
                WHERE j.state = 'running'
                FOR NO KEY UPDATE OF j SKIP LOCKED
            ), renewed AS (
                UPDATE rectify_jobs AS j
                SET lease_expires_at = now() + \(lease.milliseconds) * interval '1 millisecond'
                FROM renewable WHERE j.id = renewable.id
                RETURNING j.id
            )
            SELECT j.id FROM rectify_jobs AS j
            JOIN unnest(\(ids)::int8[], \(attempts)::int4[]) AS l(id, attempt) ON j.id = l.id AND j.attempt = l.attempt
            WHERE j.state = 'running'
            """
    }

    /// Returns expired leases to the queue, counting the lost run as an attempt: jobs with
    /// attempts left become `retryable` after the backoff; exhausted ones are discarded, so a job
    /// that kills its worker every time ends instead of being rescued forever.
    ///
    /// A job whose worker is still alive (seen since the lease expired) is left for `grace`
    /// longer: a transactional handler's lease is not renewed while its transaction holds the
    /// row, and when that transaction fails its worker records the attempt a moment later.
    ///
    /// The backoff follows the job's kind's policy in `kindPolicies`, else `policy`.
    static func rescue(limit: Int, policy: RetryPolicy, kindPolicies: [String: RetryPolicy], grace: Duration) -> PostgresQuery {
        let error = "the worker running this attempt stopped renewing its lease (crashed, killed or stalled)"
        let policies = Array(kindPolicies)
        let kinds = policies.map(\.key)
        let bases = policies.map(\.value.base.milliseconds)
        let maxima = policies.map(\.value.maximum.milliseconds)
        return """
            WITH expired AS (
                SELECT j.id FROM rectify_jobs AS j
                LEFT JOIN rectify_workers AS w ON w.id = j.attempted_by
                WHERE j.state = 'running' AND j.lease_expires_at < now()
                  AND (w.last_seen_at IS NULL OR w.last_seen_at < j.lease_expires_at
                       OR j.lease_expires_at < now() - \(grace.milliseconds) * interval '1 millisecond')
                ORDER BY j.id LIMIT \(limit)
                FOR UPDATE OF j SKIP LOCKED
            ), exhausted AS (
                DELETE FROM rectify_jobs AS j USING expired
                WHERE j.id = expired.id AND j.attempt >= j.max_attempts
                RETURNING j.*
            ), discarded AS (
                INSERT INTO rectify_finished_jobs (\(unescaped: movedColumns), state, errors, finished_at)
                SELECT \(unescaped: movedColumns), 'discarded',
                       errors || jsonb_build_array(jsonb_build_object(
                           'attempt', attempt, 'at', now(), 'error', \(error)::text, 'worker', attempted_by)),
                       now()
                FROM exhausted
                RETURNING id
            ), retried AS (
                UPDATE rectify_jobs AS j
                SET state = 'retryable', lease_expires_at = NULL,
                    run_at = now() + coalesce(
                        (SELECT rectify_retry_delay(j.attempt, p.base_ms, p.max_ms)
                         FROM unnest(\(kinds)::text[], \(bases)::int8[], \(maxima)::int8[]) AS p(kind, base_ms, max_ms)
                         WHERE p.kind = j.kind),
                        rectify_retry_delay(j.attempt, \(policy.base.milliseconds), \(policy.maximum.milliseconds))),
                    errors = j.errors || jsonb_build_array(jsonb_build_object(
                        'attempt', j.attempt, 'at', now(), 'error', \(error)::text, 'worker', j.attempted_by))
                FROM expired
                WHERE j.id = expired.id AND j.attempt < j.max_attempts
                RETURNING j.id
            )
            SELECT (SELECT count(*) FROM retried), (SELECT count(*) FROM discarded)
            """
    }

    /// Makes due `scheduled` and `retryable` jobs `available` and wakes their queues' workers.
    static func promote(limit: Int) -> PostgresQuery {
        """
        WITH due AS (
            SELECT id FROM rectify_jobs
            WHERE state IN ('scheduled', 'retryable') AND run_at <= now()
            ORDER BY run_at LIMIT \(limit)
            FOR UPDATE SKIP LOCKED
        ), promoted AS (
            UPDATE rectify_jobs AS j SET state = 'available' FROM due WHERE j.id = due.id RETURNING j.queue
        )
        SELECT queue, count(*), pg_notify('\(unescaped: JobQueue.notificationChannel)', queue)::text
        FROM promoted GROUP BY queue
        """
    }
}
