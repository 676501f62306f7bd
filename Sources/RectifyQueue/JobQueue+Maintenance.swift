public import Foundation
import RectifyPostgres

/// The outcome of one rescue pass.
public struct RescueResult: Sendable, Hashable {
    /// Jobs returned to the queue (as `retryable`).
    public var retried: Int
    /// Jobs discarded because the lost run was their last attempt.
    public var discarded: Int

    /// Creates a result.
    public init(retried: Int, discarded: Int) {
        self.retried = retried
        self.discarded = discarded
    }
}

extension JobQueue {
    /// Returns up to `limit` jobs whose lease expired to the queue; see ``RescueResult``.
    ///
    /// - Parameters:
    ///   - retry: how long a rescued job waits before its next attempt, unless its kind is in
    ///     `kindRetries`, whose policy it then follows (as a failed attempt of that kind does).
    ///     The pass rescues every queue's jobs, so a worker passes the policies of the kinds it
    ///     registers: in a fleet whose workers register different kinds, a kind that the
    ///     rescuing worker does not know gets that worker's `retry`.
    ///   - grace: how much longer a job is left when its worker was seen after its lease
    ///     expired (alive, about to record the attempt itself); workers pass their lease. A dead
    ///     worker's jobs are rescued as soon as their lease expires.
    public func rescueExpired(
        limit: Int = 1000, retry: RetryPolicy, kindRetries: [String: RetryPolicy] = [:], grace: Duration = .zero
    ) async throws -> RescueResult {
        let row = try await pool.query(
            JobQueueSQL.rescue(limit: limit, policy: retry, kindPolicies: kindRetries, grace: grace))[0]
        return RescueResult(retried: try row.decode(Int.self, at: 0), discarded: try row.decode(Int.self, at: 1))
    }

    /// Makes up to `limit` due scheduled or retryable jobs available and notifies their queues.
    ///
    /// - Returns: how many jobs were promoted.
    public func promoteDue(limit: Int = 1000) async throws -> Int {
        let rows = try await pool.query(JobQueueSQL.promote(limit: limit))
        return try rows.reduce(0) { $0 + (try $1.decode(Int.self, at: 1)) }
    }

    /// How many days, today (UTC) included, have a partition ready for the jobs that finish on them.
    public static let partitionDaysAhead = 8

    /// How many days one partition of finished jobs spans for `retention`: one day for a
    /// retention under 60 days, else a thirtieth of it. About thirty partitions then hold the
    /// history, and a job outlives the retention by less than one partition's span.
    public static func partitionDays(for retention: Duration) -> Int {
        max(1, Int(retention.components.seconds / 86_400) / 30)
    }

    /// Makes sure every day from `start` (today, UTC, unless given) through the next
    /// ``partitionDaysAhead`` − 1 days has a partition for the jobs that finish on it, each
    /// spanning ``partitionDays(for:)`` days. Workers call this when they start and on every
    /// pruning pass, so that a finishing job always has a partition to go to.
    ///
    /// - Returns: how many partitions were created.
    @discardableResult
    public func prepareFinishedPartitions(retention: Duration, from start: Date? = nil) async throws -> Int {
        let today = "(now() AT TIME ZONE 'UTC')::date"
        let first = start.map { "(\(Int64($0.timeIntervalSince1970)) * interval '1 second' + 'epoch'::timestamp)::date" } ?? today
        return try await pool.query("""
            SELECT rectify_cover_finished_days(\(unescaped: first), \(unescaped: today) + \(Self.partitionDaysAhead)::int4,
                                               \(Self.partitionDays(for: retention))::int4)
            """)[0].decode(Int.self, at: 0)
    }

    /// Makes sure that jobs finishing today or tomorrow (UTC) have a partition, creating a day's
    /// where none covers it. An operator's discard calls this first: it may come when no worker
    /// has run for longer than the days workers prepare ahead (``partitionDaysAhead``).
    func prepareTodaysPartitions() async throws {
        _ = try await pool.query("""
            SELECT rectify_cover_finished_days((now() AT TIME ZONE 'UTC')::date, (now() AT TIME ZONE 'UTC')::date + 2, 1)
            """)
    }

    /// Drops the partitions of finished jobs whose every job finished longer ago than
    /// `retention`: a job is kept for the retention and goes with its partition, at most one
    /// partition's span (``partitionDays(for:)``) later. Each partition is first detached
    /// concurrently, which lets jobs go on finishing into the others, then dropped; no row is
    /// deleted one by one and nothing is left for vacuum. A partition that an earlier pass
    /// detached and did not drop (its process stopped in between) is dropped too.
    ///
    /// One session prunes at a time (the others return 0 at once), and waits at most
    /// `lockTimeout` for a lock: detaching waits for every transaction that holds the finished
    /// jobs (a long report, a dump), and housekeeping must not wait with it. A detach cut short
    /// is finished by the next pass. Also prepares the days to come
    /// (``prepareFinishedPartitions(retention:from:)``) and adds up the counts of finished jobs.
    ///
    /// - Returns: how many finished jobs went with the dropped partitions.
    public func prune(olderThan retention: Duration, lockTimeout: Duration = .seconds(5)) async throws -> Int {
        try await prepareFinishedPartitions(retention: retention)
        try await addUpFinishedCounts()
        return try await pool.withConnection { connection in
            let pruner = "rectify_finished_jobs pruning"
            guard try await connection.query("SELECT pg_try_advisory_lock(hashtext(\(pruner)))")[0].decode(Bool.self, at: 0) else {
                return 0
            }
            try await connection.execute(script: "SET lock_timeout = \(lockTimeout.milliseconds)")
            do {
                let dropped = try await dropExpired(olderThan: retention, on: connection)
                try await connection.execute(script: "RESET lock_timeout")
                try await connection.query("SELECT pg_advisory_unlock(hashtext(\(pruner)))")
                return dropped
            } catch {
                // The connection goes back to the pool: leave it as it was, if it still answers.
                try? await connection.execute(script: "RESET lock_timeout")
                _ = try? await connection.query("SELECT pg_advisory_unlock(hashtext(\(pruner)))")
                throw error
            }
        }
    }

    /// Detaches and drops the partitions past `retention`, and the tables of partitions that an
    /// earlier pass detached but did not drop; returns how many jobs went with them.
    private func dropExpired(olderThan retention: Duration, on connection: isolated PostgresConnection) async throws -> Int {
        let expired = try await connection.query("""
            SELECT c.relname, coalesce(i.inhdetachpending, false), i.inhrelid IS NOT NULL
            FROM pg_class AS c LEFT JOIN pg_inherits AS i ON i.inhrelid = c.oid
            WHERE c.relkind = 'r'
              AND c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = 'rectify_finished_jobs'::regclass)
              AND (i.inhparent IS NULL OR i.inhparent = 'rectify_finished_jobs'::regclass)
              AND to_date(substring(c.relname FROM '\(unescaped: FinishedPartition.pattern)'), 'YYYYMMDD')::timestamp
                  AT TIME ZONE 'UTC' <= now() - make_interval(secs => \(retention.secondsDouble))
            ORDER BY c.relname
            """)
        var dropped = 0
        for row in expired {
            let (name, pending, attached) = try row.decode((String, Bool, Bool).self)
            guard let partition = FinishedPartition(name: name), !Task.isCancelled else { continue }
            if attached {
                let how = pending ? "FINALIZE" : "CONCURRENTLY"
                try await connection.execute(script: "ALTER TABLE rectify_finished_jobs DETACH PARTITION \(partition.name) \(how)")
            }
            dropped += try await connection.transaction { connection in
                // The lock under which the counts are added up, which would otherwise put back
                // the hours deleted here.
                try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(FinishedPartition.lockName)))")
                let jobs = try await connection.query("""
                    WITH gone AS (
                        DELETE FROM rectify_finished_counts
                        WHERE hour >= \(partition.firstDay)::timestamp AT TIME ZONE 'UTC'
                          AND hour < \(partition.endDay)::timestamp AT TIME ZONE 'UTC'
                        RETURNING jobs
                    )
                    SELECT coalesce(sum(jobs), 0)::int8 FROM gone
                    """)[0].decode(Int.self, at: 0)
                try await connection.execute(script: "DROP TABLE IF EXISTS \(partition.name)")
                return jobs
            }
        }
        return dropped
    }

    /// Adds up the counts of finished jobs appended since the last pass: one row per hour,
    /// queue and state.
    private func addUpFinishedCounts() async throws {
        try await pool.transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(FinishedPartition.lockName)))")
            try await connection.query("""
                WITH gone AS (
                    DELETE FROM rectify_finished_counts
                    WHERE (hour, queue, state) IN (
                        SELECT hour, queue, state FROM rectify_finished_counts GROUP BY 1, 2, 3 HAVING count(*) > 1)
                    RETURNING *
                )
                INSERT INTO rectify_finished_counts
                SELECT hour, queue, state, sum(jobs) FROM gone GROUP BY 1, 2, 3 HAVING sum(jobs) <> 0
                """)
        }
    }

    /// Deletes the finished jobs of `queue` whatever their age: for a queue that served a
    /// one-off purpose, such as a benchmark's, and whose history nobody will look up. It reads
    /// every partition: not for a queue that shares them with a year of history.
    ///
    /// - Returns: how many were deleted.
    @discardableResult
    public func deleteFinishedJobs(queue: String) async throws -> Int {
        try await pool.query("DELETE FROM rectify_finished_jobs WHERE queue = \(queue)").affectedRows
    }

    /// Records a worker process as alive (insert or refresh); its heartbeat calls this so that
    /// `last_seen_at` stays current and other workers do not forget it as dead.
    public func recordWorker(id: String, host: String, pid: Int32, queues: [String]) async throws {
        try await pool.query("""
            INSERT INTO rectify_workers (id, host, pid, queues) VALUES (\(id), \(host), \(pid), \(queues))
            ON CONFLICT (id) DO UPDATE SET last_seen_at = now(), queues = EXCLUDED.queues
            """)
    }

    /// Removes a worker's record when it stops, and records older than `staleAfter` of others.
    public func removeWorker(id: String) async throws {
        try await pool.query("DELETE FROM rectify_workers WHERE id = \(id)")
    }

    /// Deletes records of workers not seen for `staleAfter` (they died without saying so).
    public func forgetStaleWorkers(staleAfter: Duration) async throws {
        try await pool.query(
            "DELETE FROM rectify_workers WHERE last_seen_at < now() - \(staleAfter.milliseconds) * interval '1 millisecond'")
    }
}

/// One partition of `rectify_finished_jobs`, named for the days it holds (UTC): finished jobs of
/// `rectify_finished_jobs_20261201_20261213` finished from 1 December up to 13 December.
struct FinishedPartition {
    /// The advisory lock under which partitions are created and dropped and counts added up
    /// (`rectify_cover_finished_days` takes it by the same name).
    static let lockName = "rectify_finished_jobs partitions"
    /// A partition's name as a POSIX regular expression, capturing the day after its last.
    static let pattern = #"^rectify_finished_jobs_\d{8}_(\d{8})$"#

    /// The table's name, safe to splice into a statement: it matches the pattern above.
    let name: String
    /// The first day it holds, `YYYYMMDD`.
    let firstDay: String
    /// The day after the last it holds, `YYYYMMDD`.
    let endDay: String

    /// The partition a table name denotes; `nil` for any other name.
    init?(name: String) {
        guard let days = name.wholeMatch(of: /rectify_finished_jobs_([0-9]{8})_([0-9]{8})/) else { return nil }
        self.name = name
        firstDay = String(days.1)
        endDay = String(days.2)
    }
}
