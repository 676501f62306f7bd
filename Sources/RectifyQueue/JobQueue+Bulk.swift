import RectifyPostgres

extension JobQueue {
    /// Jobs matching `filter`, live and finished, newest first.
    ///
    /// - Parameter limit: the most jobs returned.
    public func list(_ filter: JobFilter, limit: Int = 100) async throws -> [Job] {
        guard limit > 0 else { throw QueueError(.invalidRequest, "limit: must be at least 1") }
        return try await pool.query("""
            SELECT * FROM (
                (SELECT \(unescaped: Job.columns), NULL::timestamptz FROM rectify_jobs
                 WHERE state = ANY(\(filter.states)::text[]) AND kind = coalesce(\(filter.kind), kind)
                   AND queue = coalesce(\(filter.queue), queue)
                 ORDER BY id DESC LIMIT \(limit))
                UNION ALL
                (SELECT \(unescaped: Job.columns), finished_at FROM rectify_finished_jobs
                 WHERE state = ANY(\(filter.states)::text[]) AND kind = coalesce(\(filter.kind), kind)
                   AND queue = coalesce(\(filter.queue), queue)
                 ORDER BY id DESC LIMIT \(limit))
            ) AS matching
            ORDER BY id DESC LIMIT \(limit)
            """).map(Job.init(row:))
    }

    /// Retries every job matching `filter` that can be retried (discarded, cancelled,
    /// retryable, scheduled), one by one as ``retry(id:)`` does; completed and running jobs
    /// are left alone, and so are jobs whose unique key a live job now holds.
    ///
    /// - Returns: how many jobs were made available.
    /// - Throws: ``QueueError`` `.invalidRequest` for an empty filter (it would retry every
    ///   failed job there is) or a filter on `completed` or `running`, which cannot be retried.
    public func retry(matching filter: JobFilter) async throws -> Int {
        try Self.requireBulkFilter(filter, action: "retry")
        if let state = filter.state, state == .completed || state == .running {
            throw QueueError(.invalidRequest, "state: \(state.rawValue) jobs cannot be retried")
        }
        var touched = 0
        for id in try await ids(filter, states: [.discarded, .cancelled, .retryable, .scheduled]) {
            do {
                try await retry(id: id)
                touched += 1
            } catch let error as QueueError where error.code != .invalidRequest {
                continue  // finished, claimed or retried meanwhile, or its unique key is taken
            }
        }
        return touched
    }

    /// Discards every live job matching `filter`, one by one as ``discard(id:reason:)`` does
    /// (a running job's handler is cancelled).
    ///
    /// - Returns: how many jobs were discarded.
    /// - Throws: ``QueueError`` `.invalidRequest` for an empty filter or a filter on a finished state.
    public func discard(matching filter: JobFilter, reason: String = "discarded by an operator") async throws -> Int {
        try Self.requireBulkFilter(filter, action: "discard")
        if let state = filter.state, state.isFinished {
            throw QueueError(.invalidRequest, "state: \(state.rawValue) jobs are finished already")
        }
        var touched = 0
        for id in try await ids(filter, states: [.available, .scheduled, .running, .retryable]) {
            do {
                try await discard(id: id, reason: reason)
                touched += 1
            } catch let error as QueueError where error.code != .invalidRequest {
                continue  // finished meanwhile
            }
        }
        return touched
    }

    private static func requireBulkFilter(_ filter: JobFilter, action: String) throws {
        guard !filter.isEmpty else {
            throw QueueError(.invalidRequest, "a bulk \(action) needs a state, kind or queue to select jobs by")
        }
    }

    /// Ids of jobs matching `filter` among `states`, oldest first.
    private func ids(_ filter: JobFilter, states: Set<JobState>) async throws -> [Int64] {
        let wanted = states.filter { filter.state == nil || $0 == filter.state }.map(\.rawValue)
        return try await pool.query("""
            SELECT id FROM rectify_jobs
            WHERE state = ANY(\(wanted)::text[]) AND kind = coalesce(\(filter.kind), kind) AND queue = coalesce(\(filter.queue), queue)
            UNION ALL
            SELECT id FROM rectify_finished_jobs
            WHERE state = ANY(\(wanted)::text[]) AND kind = coalesce(\(filter.kind), kind) AND queue = coalesce(\(filter.queue), queue)
            ORDER BY id
            """).map { try $0.decode(Int64.self, at: 0) }
    }
}
