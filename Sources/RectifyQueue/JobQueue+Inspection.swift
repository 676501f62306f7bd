public import Foundation
import RectifyPostgres

/// A worker process as it last reported itself.
public struct WorkerRecord: Sendable, Hashable {
    /// The worker's id, as in jobs' `attempted_by`.
    public var id: String
    /// The host it runs on.
    public var host: String
    /// Its process id.
    public var pid: Int32
    /// The queues it works.
    public var queues: [String]
    /// When it started.
    public var startedAt: Date
    /// Its last heartbeat.
    public var lastSeenAt: Date
}

extension JobQueue {
    /// Jobs whose attempts failed, most recent failure first: live ones waiting to retry and
    /// finished ones discarded or cancelled, for the ops page.
    public func recentFailures(limit: Int = 20) async throws -> [Job] {
        try await pool.query("""
            SELECT * FROM (
                (SELECT \(unescaped: Job.columns), NULL::timestamptz AS finished_at FROM rectify_jobs WHERE errors <> '[]'::jsonb
                 ORDER BY coalesce(attempted_at, created_at) DESC, id DESC LIMIT \(limit))
                UNION ALL
                (SELECT \(unescaped: Job.columns), finished_at FROM rectify_finished_jobs WHERE state IN ('discarded', 'cancelled')
                 ORDER BY finished_at DESC, id DESC LIMIT \(limit))
            ) AS failed
            ORDER BY coalesce(finished_at, attempted_at, created_at) DESC, id DESC
            LIMIT \(limit)
            """).map(Job.init(row:))
    }

    /// The oldest available job of each queue, by queue.
    public func oldestAvailable() async throws -> [String: Job] {
        let rows = try await pool.query("""
            SELECT DISTINCT ON (queue) \(unescaped: Job.columns), NULL::timestamptz
            FROM rectify_jobs WHERE state = 'available' ORDER BY queue, run_at, id
            """)
        var oldest: [String: Job] = [:]
        for row in rows {
            let job = try Job(row: row)
            oldest[job.queue] = job
        }
        return oldest
    }

    /// Worker processes seen within `within`, most recently seen first.
    public func workers(seenWithin within: Duration) async throws -> [WorkerRecord] {
        try await pool.query("""
            SELECT id, host, pid, queues, started_at, last_seen_at FROM rectify_workers
            WHERE last_seen_at > now() - \(within.milliseconds) * interval '1 millisecond'
            ORDER BY last_seen_at DESC, id
            """).map { row in
            WorkerRecord(
                id: try row.decode(at: 0), host: try row.decode(at: 1), pid: try row.decode(at: 2), queues: try row.decode(at: 3),
                startedAt: try row.decode(at: 4), lastSeenAt: try row.decode(at: 5))
        }
    }
}
