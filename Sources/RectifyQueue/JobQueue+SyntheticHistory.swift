import RectifyPostgres

extension JobQueue {
    /// Writes `range` of `total` made-up finished jobs spread evenly over the `span` before now,
    /// the lowest number the oldest, for `rectify bench history`: seven kinds in two queues,
    /// one job in a hundred with an error history of one failed attempt, one in three hundred
    /// discarded. Partitions for the whole span must exist
    /// (``prepareFinishedPartitions(retention:from:)``).
    ///
    /// - Returns: the lowest id written, the oldest job's.
    @discardableResult
    public func insertSyntheticHistory(_ range: Range<Int>, of total: Int, over span: Duration) async throws -> Int64 {
        try await pool.query("""
            WITH written AS (
            INSERT INTO rectify_finished_jobs (id, kind, queue, args, priority, state, attempt, max_attempts, run_at,
                                               errors, created_at, attempted_at, attempted_by, finished_at)
            SELECT nextval('rectify_jobs_id_seq'),
                   (ARRAY['apply_progress', 'notify_units', 'monthly_report', 'name_and_shame', 'accountability_tally',
                          'public_disclosure', 'close_task'])[1 + g % 7],
                   CASE WHEN g % 7 < 2 THEN 'default' ELSE 'reports' END,
                   jsonb_build_object('submission_id', g, 'office', 'county-' || (g % 97)), 0,
                   CASE WHEN g % 300 = 0 THEN 'discarded' ELSE 'completed' END,
                   CASE WHEN g % 100 = 0 THEN 2 ELSE 1 END, 20, t,
                   CASE WHEN g % 100 = 0 THEN jsonb_build_array(jsonb_build_object('attempt', 1, 'at', t,
                        'error', 'could not write the document: the reports volume is full', 'worker', 'worker-' || (g % 5)))
                        ELSE '[]'::jsonb END,
                   t - interval '2 seconds', t - interval '1 second', 'worker-' || (g % 5), t
            FROM generate_series(\(range.lowerBound), \(range.upperBound - 1)) AS g,
                 LATERAL (SELECT now() - make_interval(secs => \(span.secondsDouble) * (1 - g::float8 / \(total)))) AS ts(t)
            RETURNING id
            )
            SELECT min(id) FROM written
            """)[0].decode(Int64.self, at: 0)
    }

    /// Vacuums and analyzes the live and the finished jobs, as after loading a history or
    /// before a measurement that should not pay for an earlier one's dead rows.
    public func vacuum() async throws {
        try await pool.query("VACUUM (ANALYZE) rectify_jobs, rectify_finished_jobs")
    }

    /// The live jobs table's size with its indexes and TOAST, in bytes.
    public func liveTableBytes() async throws -> Int {
        try await pool.query("SELECT pg_total_relation_size('rectify_jobs')")[0].decode(Int.self, at: 0)
    }
}
