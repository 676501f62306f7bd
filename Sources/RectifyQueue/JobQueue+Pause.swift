import RectifyPostgres

extension JobQueue {
    /// Stops every worker from claiming jobs of `queue` until ``resume(queue:)``. Jobs already
    /// running finish as usual; jobs can still be enqueued.
    ///
    /// - Returns: false when the queue was already paused.
    @discardableResult
    public func pause(queue: String) async throws -> Bool {
        guard !queue.isEmpty else { throw QueueError(.invalidRequest, "queue: must not be empty") }
        return try await pool.query("""
            INSERT INTO rectify_paused_queues (queue) VALUES (\(queue)) ON CONFLICT (queue) DO NOTHING RETURNING queue
            """).rowCount == 1
    }

    /// Lets workers claim jobs of `queue` again, and wakes them.
    ///
    /// - Returns: false when the queue was not paused.
    @discardableResult
    public func resume(queue: String) async throws -> Bool {
        try await pool.query("""
            WITH resumed AS (DELETE FROM rectify_paused_queues WHERE queue = \(queue) RETURNING queue)
            SELECT pg_notify('\(unescaped: Self.notificationChannel)', queue)::text FROM resumed
            """).rowCount == 1
    }

    /// The paused queues, sorted.
    public func pausedQueues() async throws -> [String] {
        try await pool.query("SELECT queue FROM rectify_paused_queues ORDER BY queue").map { try $0.decode(String.self, at: 0) }
    }
}
