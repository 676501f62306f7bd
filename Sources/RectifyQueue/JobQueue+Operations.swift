import Foundation
import RectifyPostgres

/// Depth of one queue, per state, as `rectify queue stats` reports it.
public struct QueueStats: Sendable, Hashable, Codable {
    /// Jobs ready to be claimed.
    public var available = 0
    /// Jobs waiting for their `run_at`.
    public var scheduled = 0
    /// Jobs a worker holds.
    public var running = 0
    /// Jobs waiting out a backoff.
    public var retryable = 0
    /// Finished jobs that succeeded (within the retention).
    public var completed = 0
    /// Finished jobs given up on (within the retention).
    public var discarded = 0
    /// Finished jobs cancelled (within the retention).
    public var cancelled = 0
    /// Seconds the oldest available job has waited since it became due; 0 when none waits.
    public var oldestAvailableAgeSeconds = 0.0
    /// True while an operator has paused the queue (``JobQueue/pause(queue:)``).
    public var paused = false

    /// Creates empty stats.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case available, scheduled, running, retryable, completed, discarded, cancelled, paused
        case oldestAvailableAgeSeconds = "oldest_available_age_s"
    }

    /// The count for a state.
    public subscript(state: JobState) -> Int {
        get {
            switch state {
            case .available: available
            case .scheduled: scheduled
            case .running: running
            case .retryable: retryable
            case .completed: completed
            case .discarded: discarded
            case .cancelled: cancelled
            }
        }
        set {
            switch state {
            case .available: available = newValue
            case .scheduled: scheduled = newValue
            case .running: running = newValue
            case .retryable: retryable = newValue
            case .completed: completed = newValue
            case .discarded: discarded = newValue
            case .cancelled: cancelled = newValue
            }
        }
    }
}

extension JobQueue {
    /// Depth per queue and state, and whether each queue is paused; live states only when
    /// `includeFinished` is false. Finished states count the jobs kept (the retention), read
    /// from counts kept by the hour as jobs finish and are pruned, not from the jobs
    /// themselves; with `finishedWithin`, the jobs that finished in the hours that window
    /// touches (so up to an hour more than the window). A paused queue without jobs is listed too.
    public func stats(includeFinished: Bool = true, finishedWithin: Duration? = nil) async throws -> [String: QueueStats] {
        let hours = finishedWithin.map { "WHERE hour > now() - make_interval(secs => \($0.secondsDouble + 3600))" } ?? ""
        let finished = includeFinished ? """
            UNION ALL SELECT queue, state, sum(jobs)::int8, NULL FROM rectify_finished_counts \(hours)
            GROUP BY queue, state HAVING sum(jobs) <> 0
            """ : ""
        let rows = try await pool.query("""
            SELECT queue, state, count(*),
                   extract(epoch FROM now() - min(run_at) FILTER (WHERE state = 'available'))::float8
            FROM rectify_jobs GROUP BY queue, state
            \(unescaped: finished)
            """)
        var stats: [String: QueueStats] = [:]
        for row in rows {
            let (queue, stateName, count, age) = try row.decode((String, String, Int, Double?).self)
            guard let state = JobState(rawValue: stateName) else { continue }
            stats[queue, default: QueueStats()][state] = count
            if let age { stats[queue, default: QueueStats()].oldestAvailableAgeSeconds = max(0, age) }
        }
        for queue in try await pausedQueues() { stats[queue, default: QueueStats()].paused = true }
        return stats
    }

    /// The job with `id`, live or finished.
    ///
    /// - Throws: ``QueueError`` `.jobNotFound` when no job has that id (or it was pruned).
    public func job(id: Int64) async throws -> Job {
        let rows = try await pool.query("""
            SELECT \(unescaped: Job.columns), NULL::timestamptz FROM rectify_jobs WHERE id = \(id)
            UNION ALL
            SELECT \(unescaped: Job.columns), finished_at FROM rectify_finished_jobs WHERE id = \(id)
            """)
        guard let row = rows.first else { throw QueueError(.jobNotFound, "no job with id \(id)") }
        return try Job(row: row)
    }

    /// Runs a discarded, cancelled, retryable or scheduled job again as soon as possible.
    ///
    /// A finished job moves back to the live table with one more attempt allowed if it had used
    /// them all. Completed and running jobs are refused: retrying them could run effects twice.
    ///
    /// - Returns: the job after the change.
    /// - Throws: ``QueueError`` naming the job and why it cannot be retried.
    @discardableResult
    public func retry(id: Int64) async throws -> Job {
        let current = try await job(id: id)
        switch current.state {
        case .completed:
            throw QueueError(.invalidTransition, "job \(id) is completed; enqueue a new job to run it again")
        case .running:
            throw QueueError(.invalidTransition, "job \(id) is running; wait for it to finish or discard it")
        case .available:
            return current
        case .scheduled, .retryable:
            try await pool.query("""
                UPDATE rectify_jobs SET state = 'available', run_at = now() WHERE id = \(id) AND state IN ('scheduled', 'retryable')
                """)
        case .discarded, .cancelled:
            do {
                try await pool.query("""
                    WITH revived AS (DELETE FROM rectify_finished_jobs WHERE id = \(id) RETURNING *)
                    INSERT INTO rectify_jobs (id, kind, queue, args, priority, state, attempt, max_attempts, run_at,
                                              unique_key, errors, created_at, attempted_at, attempted_by)
                    SELECT id, kind, queue, args, priority, 'available', attempt, greatest(max_attempts, attempt + 1),
                           now(), unique_key, errors, created_at, attempted_at, attempted_by
                    FROM revived
                    """)
            } catch SQLState.uniqueViolation {
                throw QueueError(
                    .uniqueKeyTaken,
                    "job \(id) cannot be retried: another live job holds its unique key \(current.uniqueKey ?? "")")
            }
        }
        try await pool.query("SELECT pg_notify('\(unescaped: Self.notificationChannel)', \(current.queue))")
        return try await job(id: id)
    }

    /// Discards a live job (any state, running included: its worker can no longer finish it).
    ///
    /// For a running job it `NOTIFY`s ``cancellationChannel``, so the worker cancels the handler
    /// at once. A handler inside its transaction holds the job's row, and the discard waits (up
    /// to 30 s) for that transaction to roll back, repeating the notice every second: a notice
    /// that reached the worker before it had registered the job it just claimed is lost.
    ///
    /// - Returns: the job after the change.
    /// - Throws: ``QueueError`` when the job is already finished or does not exist.
    @discardableResult
    public func discard(id: Int64, reason: String = "discarded by an operator") async throws -> Job {
        try await prepareTodaysPartitions()
        return try await discardWithPartitionsReady(id: id, reason: reason)
    }

    /// ``discard(id:reason:)`` once today's partitions are known to exist
    /// (``prepareTodaysPartitions()``), for callers that discard many jobs after preparing once.
    func discardWithPartitionsReady(id: Int64, reason: String) async throws -> Job {
        let current = try await job(id: id)
        guard !current.state.isFinished else {
            throw QueueError(.invalidTransition, "job \(id) is already \(current.state.rawValue)")
        }
        let record = JobErrorRecord(attempt: current.attempt, at: Date(), error: reason, worker: nil)
        var secondsWaited = 0
        let moved: PostgresResult
        while true {
            // A lock held past a second means a handler's transaction: the job was claimed
            // since it was read, or the notice came before its worker knew the job.
            if current.state == .running || secondsWaited > 0 {
                try await pool.query("SELECT pg_notify('\(unescaped: Self.cancellationChannel)', \(String(id)))")
            }
            do {
                moved = try await pool.transaction { connection in
                    try await connection.execute(script: "SET LOCAL lock_timeout = '1s'")
                    return try await connection.query("""
                        WITH finished AS (DELETE FROM rectify_jobs WHERE id = \(id) RETURNING *)
                        INSERT INTO rectify_finished_jobs (id, kind, queue, args, priority, attempt, max_attempts, run_at, unique_key,
                                                           created_at, attempted_at, attempted_by, state, errors, finished_at)
                        SELECT id, kind, queue, args, priority, attempt, max_attempts, run_at, unique_key,
                               created_at, attempted_at, attempted_by, 'discarded', errors || \(record.appendableJSON)::jsonb, now()
                        FROM finished
                        RETURNING id
                        """)
                }
                break
            } catch SQLState.lockNotAvailable where secondsWaited < 29 {
                secondsWaited += 1
            }
        }
        guard moved.rowCount == 1 else {
            throw QueueError(.invalidTransition, "job \(id) finished while it was being discarded")
        }
        return try await job(id: id)
    }
}
