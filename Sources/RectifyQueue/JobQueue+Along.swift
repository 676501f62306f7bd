import Foundation
public import RectifyPostgres
import Synchronization

extension JobQueue {
    /// SQL naming the id of the job that ``enqueue(_:along:on:)`` inserts, for the statements
    /// sent with it (the session's last value of the jobs' id sequence).
    public static let enqueuedJobID = "currval('rectify_jobs_id_seq')"

    /// Enqueues one job and runs the caller's `statements` after it, in one round trip
    /// (libpq's pipeline mode) and one transaction: the job exists only if every statement
    /// succeeds, and workers are notified once it commits. `statements` may name the new job's
    /// id with ``enqueuedJobID``.
    ///
    /// Outside a transaction, the statements commit on their own and the workers are woken by
    /// a second, non-durable statement after the commit: concurrent enqueues then share WAL
    /// flushes instead of queueing for the lock that a notifying commit holds through its
    /// flush. A wake-up of the same queue that this process began after the commit returned
    /// covers the job too, so commits that return together send one wake-up between them.
    /// Inside the caller's transaction, the `NOTIFY` goes with it.
    ///
    /// - Returns: the new job's id and the rows of each of `statements`, in order.
    /// - Throws: ``QueueError`` `invalidRequest` for a request with a unique key (a taken key
    ///   would leave no job to name); else the ``PostgresError`` of the first statement that
    ///   failed, when nothing was written.
    public static func enqueue(
        _ request: JobRequest, along statements: [PostgresQuery], on connection: isolated PostgresConnection
    ) async throws -> (jobID: Int64, results: [PostgresResult]) {
        guard request.uniqueKey == nil else {
            throw QueueError(.invalidRequest, "a job enqueued along other statements takes no unique key")
        }
        let ownTransaction = connection.isReusable
        var results = try await connection.pipeline([JobQueueSQL.enqueue([request], notify: !ownTransaction)] + statements)
        let returned = ContinuousClock.now
        let jobID = try results.removeFirst()[0].decode(Int64.self, at: 0)
        if ownTransaction && (request.runAt ?? .distantPast) <= Date() && WakeUps.shared.needed(for: request.queue, committedBy: returned) {
            // Committed: a wake-up that fails leaves the job to the workers' next poll.
            _ = try? await connection.query(JobQueueSQL.wake(request.queue))
        }
        return (jobID, results)
    }
}

/// When this process last began waking each queue's workers after a commit.
final class WakeUps: Sendable {
    static let shared = WakeUps()
    private let begun = Mutex<[String: ContinuousClock.Instant]>([:])

    /// Called after a commit that added an available job to `queue` and had returned by
    /// `committed`: true when the caller must send a wake-up (recorded as begun now), false when
    /// one begun since then will reach the workers after the job is visible.
    func needed(for queue: String, committedBy committed: ContinuousClock.Instant) -> Bool {
        begun.withLock { begun in
            if let last = begun[queue], last >= committed { return false }
            begun[queue] = ContinuousClock.now
            return true
        }
    }
}
