public import RectifyPostgres

extension JobQueue {
    /// SQL naming the id of the job that ``enqueue(_:along:on:)`` inserts, for the statements
    /// sent with it (the session's last value of the jobs' id sequence). Other modules of rectify
    /// call the function the queue's schema publishes for it, `rectify_enqueued_job_id()`.
    public static let enqueuedJobID = "currval('rectify_jobs_id_seq')"

    /// Enqueues one job and runs the caller's `statements` after it, in one round trip
    /// (libpq's pipeline mode) and one transaction: the job exists only if every statement
    /// succeeds, and workers are notified once it commits. `statements` may name the new job's
    /// id with ``enqueuedJobID``.
    ///
    /// Outside a transaction, the statements commit on their own and the workers are woken by
    /// a second, non-durable statement that follows the commit in the same round trip:
    /// concurrent enqueues then share WAL flushes instead of queueing for the lock that a
    /// notifying commit holds through its flush. Inside the caller's transaction, the `NOTIFY`
    /// goes with it.
    ///
    /// - Returns: the new job's id and the rows of each of `statements`, in order.
    /// - Throws: ``QueueError`` `invalidRequest` for a request with a unique key (a taken key
    ///   would leave no job to name); else the ``PostgresError`` of the first statement that
    ///   failed, when nothing was written, or `.connectionLost`, when whether the statements
    ///   committed is unknown.
    public static func enqueue(
        _ request: JobRequest, along statements: [PostgresQuery], on connection: isolated PostgresConnection
    ) async throws -> (jobID: Int64, results: [PostgresResult]) {
        guard request.uniqueKey == nil else {
            throw QueueError(.invalidRequest, "a job enqueued along other statements takes no unique key")
        }
        let ownTransaction = !connection.isInTransaction
        // A wake-up that fails leaves the job to the workers' next poll.
        var results = try await connection.pipeline(
            [JobQueueSQL.enqueue([request], notify: !ownTransaction)] + statements,
            followedBy: ownTransaction ? JobQueueSQL.wakeForEnqueued : nil)
        return (try results.removeFirst()[0].decode(Int64.self, at: 0), results)
    }
}
