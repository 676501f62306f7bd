import Foundation
public import RectifyPostgres

/// The queue's operations on PostgreSQL: enqueue, claim, finish, and the maintenance and
/// operator actions. Every state change is one statement, fenced by the job's lease where a
/// worker makes it.
public struct JobQueue: Sendable {
    /// The channel producers `NOTIFY` with the queue name as payload.
    public static let notificationChannel = "rectify_jobs"
    /// The channel an operator's discard `NOTIFY`s with a running job's id as payload, so the
    /// worker running it cancels its handler at once.
    public static let cancellationChannel = "rectify_job_cancel"
    /// Requests per `INSERT` statement when enqueueing many jobs.
    static let enqueueChunkSize = 5000

    /// The pool every operation borrows from.
    public let pool: PostgresPool

    /// Creates a queue on a pool.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Enqueues one job.
    public func enqueue(_ request: JobRequest) async throws -> EnqueueOutcome {
        try await enqueue([request])[0]
    }

    /// Enqueues many jobs atomically, in one transaction. A batch of 100 or more requests
    /// without unique keys is loaded with `COPY` (two round trips per 50,000 requests besides
    /// `BEGIN` and `COMMIT`); a smaller batch, or one in which any request has a unique key,
    /// is inserted with one `INSERT` per 5,000 requests, which skips taken keys.
    ///
    /// - Returns: one outcome per request, in order.
    public func enqueue(_ requests: [JobRequest]) async throws -> [EnqueueOutcome] {
        guard !requests.isEmpty else { return [] }
        if requests.count <= Self.enqueueChunkSize || Self.loadsByCopy(requests) {
            return try await pool.withConnection { try await Self.enqueue(requests, on: $0) }
        }
        return try await pool.transaction { try await Self.enqueue(requests, on: $0) }
    }

    /// Enqueues jobs on a connection, inside the caller's transaction if one is open: the jobs
    /// then exist only if the caller's transaction commits, and workers are notified on commit.
    /// Batches load with `COPY` or `INSERT` as the pool's batch `enqueue` describes.
    public static func enqueue(
        _ requests: [JobRequest], on connection: isolated PostgresConnection
    ) async throws -> [EnqueueOutcome] {
        if loadsByCopy(requests) { return try await enqueueByCopy(requests, on: connection) }
        var outcomes: [EnqueueOutcome] = []
        outcomes.reserveCapacity(requests.count)
        var start = 0
        while start < requests.count {
            let chunk = requests[start..<min(start + enqueueChunkSize, requests.count)]
            let rows = try await connection.query(JobQueueSQL.enqueue(chunk))
            var ids = try rows.map { try $0.decode((Int64, String?).self) }[...]
            // Ids ascend in request order; a request whose unique key was taken (before this
            // statement, or by an earlier request in it) got no row.
            var keysInserted = Set(ids.compactMap(\.1))
            for request in chunk {
                if let next = ids.first, next.1 == request.uniqueKey,
                    request.uniqueKey == nil || keysInserted.remove(request.uniqueKey!) != nil
                {
                    outcomes.append(.inserted(id: next.0))
                    ids = ids.dropFirst()
                } else {
                    outcomes.append(.duplicate(uniqueKey: request.uniqueKey ?? ""))
                }
            }
            start += chunk.count
        }
        return outcomes
    }

    /// Claims up to `limit` available jobs of `queue` for `workerID`: the first in priority
    /// order (then `run_at`, then id), returned in id order. It takes only jobs whose kind is in
    /// `kinds` and nothing while the queue is paused (``pause(queue:)``).
    ///
    /// One statement with `FOR UPDATE SKIP LOCKED`: concurrent workers never claim the same job
    /// and never wait for each other. A worker passes the kinds it has handlers for, so jobs of
    /// kinds it does not know stay for workers that do.
    ///
    /// Run it on a session with `enable_sort = off`, as a worker's own connections are: with
    /// statistics older than a large enqueue, the planner may otherwise sort the whole backlog
    /// at every claim (`Worker.bookkeepingSessionSettings` in RectifyWorker).
    public func claim(
        queue: String, kinds: [String], limit: Int, workerID: String, lease: Duration
    ) async throws -> [ClaimedJob] {
        try await pool.withConnection {
            try await Self.claim(queue: queue, kinds: kinds, limit: limit, workerID: workerID, lease: lease, on: $0)
        }
    }

    /// Claims jobs as ``claim(queue:kinds:limit:workerID:lease:)`` does, on a connection the
    /// caller holds.
    public static func claim(
        queue: String, kinds: [String], limit: Int, workerID: String, lease: Duration, on connection: isolated PostgresConnection
    ) async throws -> [ClaimedJob] {
        let rows = try await connection.query(
            JobQueueSQL.claim(queue: queue, kinds: kinds, limit: limit, workerID: workerID, lease: lease))
        return try rows.map { row in
            ClaimedJob(
                id: try row.decode(at: 0), kind: try row.decode(at: 1), queue: try row.decode(at: 2),
                argsJSON: try row.decode(at: 3), priority: try row.decode(at: 4), attempt: try row.decode(at: 5),
                maxAttempts: try row.decode(at: 6), dueAt: try row.decode(at: 7), createdAt: try row.decode(at: 8),
                timeout: try row.decode(Int32?.self, at: 9).map { .milliseconds($0) })
        }.sorted { $0.id < $1.id }
    }

    /// Marks jobs completed in one statement, moving them out of the hot table.
    ///
    /// - Returns: the leases that were still held; the others had been taken over and were left alone.
    public func complete(_ leases: [JobLease]) async throws -> Set<JobLease> {
        guard !leases.isEmpty else { return [] }
        let rows = try await pool.query(JobQueueSQL.finish(leases, as: .completed, error: nil))
        return try Self.leases(rows, among: leases)
    }

    /// Locks a running job's row inside the caller's transaction, before its handler runs; the
    /// lock lasts until the transaction ends. Until then heartbeats leave the row alone and the
    /// rescuer skips it (see ``heartbeat(_:lease:)``).
    ///
    /// - Returns: false when the lease was taken over; the caller must then roll back.
    public static func lock(_ lease: JobLease, on connection: isolated PostgresConnection) async throws -> Bool {
        try await connection.query(JobQueueSQL.lock(lease)).rowCount == 1
    }

    /// Completes one job on the caller's connection, inside the handler's transaction.
    ///
    /// - Returns: false when the lease was taken over; the caller must then roll back.
    public static func complete(_ lease: JobLease, on connection: isolated PostgresConnection) async throws -> Bool {
        try await connection.query(JobQueueSQL.finish([lease], as: .completed, error: nil)).rowCount == 1
    }

    /// Records a failed attempt: `retryable` with backoff while attempts remain, else `discarded`.
    ///
    /// - Returns: the state the job moved to, or `nil` when the lease was taken over.
    public func fail(_ job: ClaimedJob, error: JobErrorRecord, retry: RetryPolicy) async throws -> JobState? {
        if job.attempt >= job.maxAttempts {
            return try await finish(job.lease, as: .discarded, error: error) ? .discarded : nil
        }
        let rows = try await pool.query(JobQueueSQL.retry(job.lease, error: error, policy: retry))
        return rows.rowCount == 1 ? .retryable : nil
    }

    /// Moves a running job to a finished state, fenced by its lease, appending `error` if given.
    public func finish(_ lease: JobLease, as state: JobState, error: JobErrorRecord?) async throws -> Bool {
        precondition(state.isFinished, "finish(as:) takes a finished state")
        return try await pool.query(JobQueueSQL.finish([lease], as: state, error: error)).rowCount == 1
    }

    /// Puts a running job back as `scheduled` after `delay`, without spending an attempt.
    public func snooze(_ lease: JobLease, for delay: Duration) async throws -> Bool {
        try await pool.query(JobQueueSQL.snooze(lease, delay: delay)).rowCount == 1
    }

    /// Returns running jobs to `available` without spending an attempt (graceful shutdown).
    ///
    /// - Returns: how many were released.
    @discardableResult
    public func release(_ leases: [JobLease]) async throws -> Int {
        guard !leases.isEmpty else { return 0 }
        return try await pool.query(JobQueueSQL.release(leases)).rowCount
    }

    /// Extends the leases still held; a lease whose row its handler's transaction has locked
    /// (``lock(_:on:)``) counts as held and is left as it is.
    ///
    /// - Returns: the leases still held; a missing one was taken over and its job must stop.
    public func heartbeat(_ leases: [JobLease], lease: Duration) async throws -> Set<JobLease> {
        guard !leases.isEmpty else { return [] }
        let rows = try await pool.query(JobQueueSQL.heartbeat(leases, lease: lease))
        return try Self.leases(rows, among: leases)
    }

    private static func leases(_ rows: PostgresResult, among leases: [JobLease]) throws -> Set<JobLease> {
        let ids = Set(try rows.map { try $0.decode(Int64.self, at: 0) })
        return Set(leases.filter { ids.contains($0.id) })
    }
}
