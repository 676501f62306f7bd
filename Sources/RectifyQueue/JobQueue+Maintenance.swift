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

    /// Days from today (UTC) on whose finished jobs already have a partition to go to.
    public static let partitionDaysAhead = 8

    /// How many days one partition of finished jobs spans for `retention`: one day for a
    /// retention up to 30 days, else a thirtieth of it. About thirty partitions then hold the
    /// history, and a job outlives the retention by less than one partition's span.
    public static func partitionDays(for retention: Duration) -> Int {
        max(1, Int(retention.components.seconds / 86_400) / 30)
    }

    /// Makes sure every day from `start` (today, UTC, unless given) through the next
    /// ``partitionDaysAhead`` days has a partition for the jobs that finish on it, each spanning
    /// ``partitionDays(for:)`` days. Workers call this when they start and on every pruning pass,
    /// so that a finishing job always has a partition to go to.
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

    /// Drops the partitions of finished jobs whose every job finished longer ago than
    /// `retention`: a job is kept for the retention and goes with its partition, at most one
    /// partition's span (``partitionDays(for:)``) later. Each partition is first detached
    /// concurrently, which lets jobs go on finishing into the others, then dropped; no row is
    /// deleted one by one and nothing is left for vacuum. Also prepares the days to come
    /// (``prepareFinishedPartitions(retention:from:)``) and adds up the counts of finished jobs.
    ///
    /// - Returns: how many finished jobs went with the dropped partitions.
    public func prune(olderThan retention: Duration) async throws -> Int {
        try await prepareFinishedPartitions(retention: retention)
        let expired = try await pool.query("""
            SELECT c.relname, i.inhdetachpending
            FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'rectify_finished_jobs'::regclass
              AND to_date(substring(c.relname FROM '^rectify_finished_jobs_\\d{8}_(\\d{8})$'), 'YYYYMMDD')::timestamp
                  AT TIME ZONE 'UTC' <= now() - make_interval(secs => \(retention.secondsDouble))
            ORDER BY c.relname
            """)
        var dropped = 0
        for row in expired {
            let (name, pending) = try row.decode((String, Bool).self)
            guard let partition = FinishedPartition(name: name), !Task.isCancelled else { continue }
            dropped += try await drop(partition, detachPending: pending)
        }
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
        return dropped
    }

    /// Detaches a partition of finished jobs (or finishes a detach that an earlier pass began
    /// and did not end), then drops it with its days' counts, returning how many jobs it held.
    private func drop(_ partition: FinishedPartition, detachPending: Bool) async throws -> Int {
        let detach = detachPending ? "FINALIZE" : "CONCURRENTLY"
        do {
            try await pool.query(
                "ALTER TABLE rectify_finished_jobs DETACH PARTITION \(unescaped: partition.name) \(unescaped: detach)")
        } catch SQLState.undefinedTable {
            return 0  // another worker dropped it meanwhile
        } catch SQLState.objectNotInPrerequisiteState {
            return 0  // another worker is detaching it
        }
        return try await pool.transaction { connection in
            // The same lock as the counts' adding up, which would otherwise put back the days
            // deleted here.
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
            try await connection.query("DROP TABLE IF EXISTS \(unescaped: partition.name)")
            return jobs
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
    /// The advisory lock under which partitions are created and dropped and counts added up.
    static let lockName = "rectify_finished_jobs partitions"

    /// The table's name, safe to splice into a statement: it matches the pattern above.
    let name: String
    /// The first day it holds, `YYYYMMDD`.
    let firstDay: String
    /// The day after the last it holds, `YYYYMMDD`.
    let endDay: String

    /// The partition a table name denotes; `nil` for any other name.
    init?(name: String) {
        let prefix = "rectify_finished_jobs_"
        guard name.hasPrefix(prefix) else { return nil }
        let days = name.dropFirst(prefix.count).split(separator: "_", omittingEmptySubsequences: false)
        guard days.count == 2, days.allSatisfy({ $0.count == 8 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            return nil
        }
        self.name = name
        firstDay = String(days[0])
        endDay = String(days[1])
    }
}
