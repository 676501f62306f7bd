import Foundation
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

    /// Deletes finished jobs older than `retention`, `batchSize` at a time, until none are left.
    ///
    /// - Returns: how many were deleted.
    public func prune(olderThan retention: Duration, batchSize: Int = 1000) async throws -> Int {
        var total = 0
        while true {
            let deleted = try await pool.query(JobQueueSQL.prune(olderThan: retention, limit: batchSize)).affectedRows
            total += deleted
            if deleted < batchSize || Task.isCancelled { return total }
        }
    }

    /// Deletes the finished jobs of `queue` whatever their age: for a queue that served a
    /// one-off purpose, such as a benchmark's, and whose history nobody will look up.
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
