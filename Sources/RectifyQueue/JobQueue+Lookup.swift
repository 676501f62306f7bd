public import RectifyPostgres

/// Read-only questions other modules ask about jobs, so that they need not read the queue's
/// tables themselves.
extension JobQueue {
    /// The states of the given jobs, live or finished, by id. A job pruned from the finished
    /// jobs (or never created) is absent.
    public static func states(of ids: [Int64], on connection: isolated PostgresConnection) async throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await connection.query("""
            SELECT id, state FROM rectify_jobs WHERE id = ANY(\(ids)::int8[])
            UNION ALL
            SELECT id, state FROM rectify_finished_jobs WHERE id = ANY(\(ids)::int8[])
            """)
        var states: [Int64: String] = [:]
        for row in rows {
            let (id, state) = try row.decode((Int64, String).self)
            states[id] = state
        }
        return states
    }

    /// The arguments (JSON text) of the given jobs, live or finished, by id.
    public static func args(of ids: [Int64], on connection: isolated PostgresConnection) async throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await connection.query("""
            SELECT id, args::text FROM rectify_jobs WHERE id = ANY(\(ids)::int8[])
            UNION ALL
            SELECT id, args::text FROM rectify_finished_jobs WHERE id = ANY(\(ids)::int8[])
            """)
        var args: [Int64: String] = [:]
        for row in rows {
            let (id, json) = try row.decode((Int64, String).self)
            args[id] = json
        }
        return args
    }

    /// How many unfinished jobs (available, scheduled, running or retryable) of `kind` have the
    /// top-level argument `field` at most `value`, compared as text.
    public static func unfinishedCount(
        kind: String, argument field: String, atMost value: String, on connection: isolated PostgresConnection
    ) async throws -> Int {
        try await connection.query("""
            SELECT count(*) FROM rectify_jobs
            WHERE kind = \(kind) AND args->>\(field) <= \(value)
              AND state IN ('available', 'scheduled', 'running', 'retryable')
            """)[0].decode(Int.self, at: 0)
    }

    /// How many worker processes reported a heartbeat within `within`.
    public static func liveWorkerCount(seenWithin within: Duration, on connection: isolated PostgresConnection) async throws -> Int {
        try await connection.query("""
            SELECT count(*) FROM rectify_workers WHERE last_seen_at > now() - \(within.milliseconds) * interval '1 millisecond'
            """)[0].decode(Int.self, at: 0)
    }

    /// True while `queue` has a live job (available, scheduled, running or retryable). Each
    /// state is looked up through its own partial index, in that index's order: inside `EXISTS`
    /// the planner drops the order and may scan the table instead, whose first pages are all
    /// dead rows while a queue drains.
    public func hasLiveJobs(in queue: String) async throws -> Bool {
        try await pool.query("""
            SELECT (SELECT id FROM rectify_jobs WHERE state = 'available' AND queue = \(queue)
                    ORDER BY priority, run_at, id LIMIT 1) IS NOT NULL
                OR (SELECT id FROM rectify_jobs WHERE state = 'running' AND queue = \(queue) ORDER BY id LIMIT 1) IS NOT NULL
                OR (SELECT id FROM rectify_jobs WHERE state IN ('scheduled', 'retryable') AND queue = \(queue)
                    ORDER BY run_at LIMIT 1) IS NOT NULL
            """)[0].decode(Bool.self, at: 0)
    }

    /// How many registered workers (``recordWorker(id:host:pid:queues:)``) work `queue`.
    public func workerCount(serving queue: String) async throws -> Int {
        try await pool.query("SELECT count(*) FROM rectify_workers WHERE \(queue) = ANY(queues)")[0].decode(Int.self, at: 0)
    }
}
