import RectifyPostgres

extension JobQueue {
    /// Jobs matching `filter`, live and finished, newest first.
    ///
    /// The finished jobs are read newest first from each partition's index and merged, not
    /// gathered and sorted: with a year of history the planner would rather sort every failed
    /// job kept (0.2 s for 33,000) than merge forty index scans (a few ms), so the statement runs
    /// without sorts it can avoid, and without JIT, which such a plan's price would call for.
    ///
    /// - Parameter limit: the most jobs returned.
    public func list(_ filter: JobFilter, limit: Int = 100) async throws -> [Job] {
        guard limit > 0 else { throw QueueError(.invalidRequest, "limit: must be at least 1") }
        return try await pool.transaction { connection in
            try await connection.execute(script: "SET LOCAL enable_sort = off; SET LOCAL jit = off")
            return try await connection.query(Self.listQuery(filter, limit: limit)).map(Job.init(row:))
        }
    }

    /// A filter on one state reads only the table that holds it (the planner drops the other
    /// branch): the live table's index by id holds no discarded job, and would be read whole.
    private static func listQuery(_ filter: JobFilter, limit: Int) -> PostgresQuery {
        let live = filter.state.map { !$0.isFinished } ?? true
        let finished = filter.state?.isFinished ?? true
        return """
            SELECT * FROM (
                (SELECT \(unescaped: Job.columns), NULL::timestamptz FROM rectify_jobs
                 WHERE \(unescaped: live ? "true" : "false") AND state = ANY(\(filter.states)::text[])
                   AND kind = coalesce(\(filter.kind), kind) AND queue = coalesce(\(filter.queue), queue)
                 ORDER BY id DESC LIMIT \(limit))
                UNION ALL
                (SELECT \(unescaped: Job.columns), finished_at FROM rectify_finished_jobs
                 WHERE \(unescaped: finished ? "true" : "false") AND state = ANY(\(filter.states)::text[])
                   AND kind = coalesce(\(filter.kind), kind)
                   AND queue = coalesce(\(filter.queue), queue)
                 ORDER BY id DESC LIMIT \(limit))
            ) AS matching
            ORDER BY id DESC LIMIT \(limit)
            """
    }

    /// Retries every job matching `filter` that can be retried (discarded, cancelled,
    /// retryable, scheduled); completed and running jobs are left alone, and so are jobs whose
    /// unique key a live job now holds.
    ///
    /// Waiting jobs become available, and finished jobs without a unique key move back, in
    /// statements of at most ``bulkBatchSize`` jobs, each committed on its own with one
    /// `NOTIFY` per queue it gave jobs to. A finished job with a unique key moves alone, as
    /// ``retry(id:)`` does, so that a key taken meanwhile leaves it where it is.
    ///
    /// - Returns: how many jobs were made available.
    /// - Throws: ``QueueError`` `.invalidRequest` for an empty filter (it would retry every
    ///   failed job there is) or a filter on `completed` or `running`, which cannot be retried.
    public func retry(matching filter: JobFilter) async throws -> Int {
        try Self.requireBulkFilter(filter, action: "retry")
        if let state = filter.state, state == .completed || state == .running {
            throw QueueError(.invalidRequest, "state: \(state.rawValue) jobs cannot be retried")
        }
        let waiting = Self.states([.scheduled, .retryable], within: filter)
        let finished = Self.states([.discarded, .cancelled], within: filter)
        var touched = try await inBatches { after in
            """
            WITH picked AS (
                SELECT id FROM rectify_jobs
                WHERE state = ANY(\(waiting)::text[]) AND kind = coalesce(\(filter.kind), kind)
                  AND queue = coalesce(\(filter.queue), queue) AND id > \(after)
                ORDER BY id LIMIT \(Self.bulkBatchSize)
            ), made AS (
                UPDATE rectify_jobs SET state = 'available', run_at = now()
                WHERE id IN (SELECT id FROM picked) AND state = ANY(\(waiting)::text[])
                RETURNING queue
            )
            \(unescaped: Self.batchOutcome(waking: true))
            """
        }
        touched += try await inBatches { after in
            """
            WITH picked AS (
                SELECT id FROM rectify_finished_jobs
                WHERE state = ANY(\(finished)::text[]) AND unique_key IS NULL AND kind = coalesce(\(filter.kind), kind)
                  AND queue = coalesce(\(filter.queue), queue) AND id > \(after)
                ORDER BY id LIMIT \(Self.bulkBatchSize)
            ), revived AS (
                DELETE FROM rectify_finished_jobs WHERE id IN (SELECT id FROM picked) RETURNING *
            ), made AS (
                INSERT INTO rectify_jobs (id, kind, queue, args, priority, state, attempt, max_attempts, run_at,
                                          unique_key, errors, created_at, attempted_at, attempted_by)
                SELECT id, kind, queue, args, priority, 'available', attempt, greatest(max_attempts, attempt + 1),
                       now(), unique_key, errors, created_at, attempted_at, attempted_by
                FROM revived
                RETURNING queue
            )
            \(unescaped: Self.batchOutcome(waking: true))
            """
        }
        let keyed = try await pool.query("""
            SELECT id FROM rectify_finished_jobs
            WHERE state = ANY(\(finished)::text[]) AND unique_key IS NOT NULL
              AND kind = coalesce(\(filter.kind), kind) AND queue = coalesce(\(filter.queue), queue)
            ORDER BY id
            """).map { try $0.decode(Int64.self, at: 0) }
        // One that fails was retried meanwhile, or its unique key is taken.
        return try await touched + oneByOne(keyed) { try await retry(id: $0) }
    }

    /// Discards every live job matching `filter`.
    ///
    /// Jobs that are not running move to the finished table in statements of at most
    /// ``bulkBatchSize`` jobs, which skip a row a claim holds at that moment; running jobs, and
    /// any job skipped, are then discarded one by one as ``discard(id:reason:)`` does, which
    /// cancels their handlers.
    ///
    /// - Returns: how many jobs were discarded.
    /// - Throws: ``QueueError`` `.invalidRequest` for an empty filter or a filter on a finished state.
    public func discard(matching filter: JobFilter, reason: String = "discarded by an operator") async throws -> Int {
        try Self.requireBulkFilter(filter, action: "discard")
        if let state = filter.state, state.isFinished {
            throw QueueError(.invalidRequest, "state: \(state.rawValue) jobs are finished already")
        }
        let waiting = Self.states([.available, .scheduled, .retryable], within: filter)
        try await prepareTodaysPartitions()
        let touched = try await inBatches { after in
            """
            WITH picked AS (
                SELECT id FROM rectify_jobs
                WHERE state = ANY(\(waiting)::text[]) AND kind = coalesce(\(filter.kind), kind)
                  AND queue = coalesce(\(filter.queue), queue) AND id > \(after)
                ORDER BY id LIMIT \(Self.bulkBatchSize)
                FOR UPDATE SKIP LOCKED
            ), finished AS (
                DELETE FROM rectify_jobs WHERE id IN (SELECT id FROM picked) RETURNING *
            ), made AS (
                INSERT INTO rectify_finished_jobs (\(unescaped: JobQueueSQL.movedColumns), state, errors, finished_at)
                SELECT \(unescaped: JobQueueSQL.movedColumns), 'discarded',
                       errors || jsonb_build_array(jsonb_build_object('attempt', attempt, 'at', now(), 'error', \(reason)::text)),
                       now()
                FROM finished
                RETURNING queue
            )
            \(unescaped: Self.batchOutcome(waking: false))
            """
        }
        let live = Self.states([.available, .scheduled, .running, .retryable], within: filter)
        let remaining = try await pool.query("""
            SELECT id FROM rectify_jobs
            WHERE state = ANY(\(live)::text[]) AND kind = coalesce(\(filter.kind), kind) AND queue = coalesce(\(filter.queue), queue)
            ORDER BY id
            """).map { try $0.decode(Int64.self, at: 0) }
        // One that fails finished meanwhile.
        return try await touched + oneByOne(remaining) { try await discardWithPartitionsReady(id: $0, reason: reason) }
    }

    private static func requireBulkFilter(_ filter: JobFilter, action: String) throws {
        guard !filter.isEmpty else {
            throw QueueError(.invalidRequest, "a bulk \(action) needs a state, kind or queue to select jobs by")
        }
    }

    /// The names of `states` that `filter`'s state admits.
    private static func states(_ states: [JobState], within filter: JobFilter) -> [String] {
        states.filter { filter.state == nil || $0 == filter.state }.map(\.rawValue)
    }

    /// The most jobs one statement of a bulk action changes, so that each commits (and wakes
    /// workers) in bounded time and holds its rows' locks briefly.
    static let bulkBatchSize = 5000

    /// The one row a batch statement answers: the last id it picked (`NULL` when none), how
    /// many it picked and how many of them it changed (the `made` CTE's rows). `waking` also
    /// queues a `NOTIFY` for each queue among them, sent when the statement commits.
    private static func batchOutcome(waking: Bool) -> String {
        """
        SELECT (SELECT max(id) FROM picked), (SELECT count(*) FROM picked), (SELECT count(*) FROM made),
               (SELECT count(pg_notify('\(notificationChannel)', queue)) FROM (SELECT DISTINCT queue FROM made) AS woken
                WHERE \(waking))
        """
    }

    /// Runs a batch statement (built for the ids after `after`, in id order) until a batch
    /// picks fewer than ``bulkBatchSize`` jobs.
    ///
    /// - Returns: how many jobs the batches changed.
    private func inBatches(_ statement: (Int64) -> PostgresQuery) async throws -> Int {
        var after: Int64 = 0
        var changed = 0
        while true {
            let (last, picked, made, _) = try await pool.query(statement(after))[0].decode((Int64?, Int, Int, Int).self)
            changed += made
            guard let last, picked == Self.bulkBatchSize else { return changed }
            after = last
        }
    }

    /// Runs `action` on each of `ids` in turn and counts those it did; a ``QueueError`` other
    /// than `.invalidRequest` means the job had moved on meanwhile and is skipped.
    private func oneByOne(_ ids: [Int64], _ action: (Int64) async throws -> Void) async throws -> Int {
        var done = 0
        for id in ids {
            do {
                try await action(id)
                done += 1
            } catch let error as QueueError where error.code != .invalidRequest {
                continue
            }
        }
        return done
    }
}
