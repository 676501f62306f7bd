import Foundation
import RectifyPostgres

extension JobQueue {
    /// Batches at least this large load with `COPY` when none of their requests has a unique key.
    static let copyThreshold = 100
    /// Requests per `COPY` statement, so that one reservation of ids stays bounded.
    static let copyChunkSize = 50_000
    /// Requests encoded and sent at a time within one `COPY`.
    static let copyPieceSize = 1000

    /// True when a batch loads with `COPY`: it is large enough to repay the extra round trips,
    /// and no request has a unique key (`COPY` cannot skip a taken key the way
    /// `ON CONFLICT DO NOTHING` does, so such batches keep the `INSERT` path).
    static func loadsByCopy(_ requests: [JobRequest]) -> Bool {
        requests.count >= copyThreshold && requests.allSatisfy { $0.uniqueKey == nil }
    }

    /// Loads a batch with `COPY` in the caller's transaction, or in one of its own.
    static func enqueueByCopy(
        _ requests: [JobRequest], on connection: isolated PostgresConnection
    ) async throws -> [EnqueueOutcome] {
        if connection.isInTransaction { return try await copyChunks(requests, on: connection) }
        return try await connection.transaction { try await copyChunks(requests, on: $0) }
    }

    private static func copyChunks(
        _ requests: [JobRequest], on connection: isolated PostgresConnection
    ) async throws -> [EnqueueOutcome] {
        var outcomes: [EnqueueOutcome] = []
        outcomes.reserveCapacity(requests.count)
        var start = 0
        while start < requests.count {
            let chunk = requests[start..<min(start + copyChunkSize, requests.count)]
            outcomes += try await copy(chunk, on: connection).map { .inserted(id: $0) }
            start += chunk.count
        }
        return outcomes
    }

    /// One round trip reserves the chunk's ids from the table's sequence (ascending, so they
    /// follow request order as on the `INSERT` path), reads the transaction's `now()` and queues
    /// a `NOTIFY` for each of the chunk's queues (sent on commit); a second loads the rows.
    /// The ids come back as their bounds when no other session took ids in between (the usual
    /// case), else as the whole list. A job is `scheduled` when its `run_at` is later than that
    /// `now()`, `available` otherwise, the rule the `INSERT` path applies; `available` jobs
    /// without a `run_at` get that `now()`.
    private static func copy(_ chunk: ArraySlice<JobRequest>, on connection: isolated PostgresConnection) async throws -> [Int64] {
        let queues = Array(Set(chunk.map(\.queue)))
        let reserved = try await connection.query("""
            SELECT now(), now()::text, min(id), max(id),
                   CASE WHEN max(id) - min(id) + 1 <> count(*) THEN array_agg(id) END,
                   (SELECT count(pg_notify('\(unescaped: notificationChannel)', q)) FROM unnest(\(queues)::text[]) AS q)
            FROM (SELECT nextval('rectify_jobs_id_seq') AS id FROM generate_series(1, \(chunk.count))) AS reserved
            """)[0]
        let (first, last) = (try reserved.decode(Int64.self, at: 2), try reserved.decode(Int64.self, at: 3))
        let ids = try reserved.decode([Int64]?.self, at: 4)?.sorted() ?? Array(first...last)
        guard ids.count == chunk.count else {
            throw QueueError(.invalidRequest, "reserved \(ids.count) job ids for \(chunk.count) requests")
        }
        let now = try reserved.decode(Date.self, at: 0)
        let nowText = try reserved.decode(String.self, at: 1)

        // Encoded a piece at a time as the COPY sends them, so the server loads one piece while
        // the next is encoded.
        let pieces = stride(from: 0, to: chunk.count, by: copyPieceSize).lazy.map { start in
            var rows = PostgresCopyRows(reservingCapacity: copyPieceSize * 96)
            for offset in start..<min(start + copyPieceSize, chunk.count) {
                let request = chunk[chunk.startIndex + offset]
                rows.append(ids[offset])
                rows.append(request.kind)
                rows.append(request.queue)
                rows.append(request.argsJSON)
                rows.append(request.priority)
                if let runAt = request.runAt {
                    rows.append(runAt > now ? "scheduled" : "available")
                    rows.append(request.maxAttempts)
                    rows.append(runAt.postgresText)
                } else {
                    rows.append("available")
                    rows.append(request.maxAttempts)
                    rows.append(nowText)
                }
                rows.append(request.timeout.map { Int32(clamping: $0.milliseconds) })
                rows.endRow()
            }
            return rows
        }
        try await connection.copy(into: "rectify_jobs", columns: copyColumns, pieces: pieces)
        return ids
    }

    private static let copyColumns = [
        "id", "kind", "queue", "args", "priority", "state", "max_attempts", "run_at", "timeout_ms",
    ]
}
