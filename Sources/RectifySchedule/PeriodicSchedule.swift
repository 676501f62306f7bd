public import Foundation
public import Logging
public import RectifyPostgres
import RectifyQueue

/// The periodic entries' tables: which entries are registered, and which due times fired.
///
/// Each due time of an entry fires once: the row of `rectify_periodic_fires` and the job it
/// enqueues are written in one transaction, and the primary key on (entry, due time) admits one
/// row, so a concurrent scheduler waits for the first to commit and then finds it fired.
public enum PeriodicSchedule {
    /// What firing one due time did.
    public enum Outcome: Sendable, Equatable {
        /// The due time fired now and enqueued these jobs (none when an action found its work
        /// scheduled already, as the monthly run does for a month `rectify schedule monthly` ran).
        case fired(jobIDs: [Int64])
        /// The due time had fired before.
        case alreadyFired
    }

    /// Registers `entries` as the configured ones: inserts or updates each, and removes entries
    /// no longer configured (their fired due times stay, as history).
    public static func register(_ entries: [PeriodicEntry], pool: PostgresPool) async throws {
        let names = entries.map(\.name)
        try await pool.transaction { connection in
            try await connection.query("DELETE FROM rectify_periodic_entries WHERE NOT (name = ANY(\(names)::text[]))")
            for entry in entries {
                try await connection.query("""
                    INSERT INTO rectify_periodic_entries AS e (name, cron, time_zone, kind, args, queue, catch_up_limit)
                    VALUES (\(entry.name), \(entry.cron.text), \(entry.cron.timeZone.identifier), \(entry.kind),
                            \(entry.argsJSON)::jsonb, \(entry.queue), \(entry.catchUpLimit))
                    ON CONFLICT (name) DO UPDATE SET cron = EXCLUDED.cron, time_zone = EXCLUDED.time_zone, kind = EXCLUDED.kind,
                        args = EXCLUDED.args, queue = EXCLUDED.queue, catch_up_limit = EXCLUDED.catch_up_limit, updated_at = now()
                    WHERE (e.cron, e.time_zone, e.kind, e.args, e.queue, e.catch_up_limit)
                        IS DISTINCT FROM (EXCLUDED.cron, EXCLUDED.time_zone, EXCLUDED.kind, EXCLUDED.args, EXCLUDED.queue, EXCLUDED.catch_up_limit)
                    """)
            }
        }
    }

    /// Fires one due time of `entry` unless it fired before: enqueues the entry's job (or runs
    /// the ``PeriodicAction`` of its kind) in the same transaction as the fire row.
    ///
    /// - Parameters:
    ///   - by: who fired it, for `schedule list` (`scheduler@worker-id`).
    ///   - actions: the entry kinds that are actions rather than jobs (rectify's by default).
    public static func fire(
        _ entry: PeriodicEntry, due: Date, by: String, pool: PostgresPool, actions: PeriodicActions = .rectify
    ) async throws -> Outcome {
        try await pool.transaction { connection in
            let inserted = try await connection.query("""
                INSERT INTO rectify_periodic_fires (entry, due_at, fired_by) VALUES (\(entry.name), \(due), \(by))
                ON CONFLICT (entry, due_at) DO NOTHING
                RETURNING entry
                """).rowCount
            guard inserted == 1 else { return .alreadyFired }
            let ids: [Int64]
            if let action = actions.action(for: entry.kind) {
                ids = try await action.fire(entry, due: due, by: by, on: connection)
            } else {
                let request = try JobRequest(kind: entry.kind, argsJSON: entry.argsJSON, queue: entry.queue)
                ids = try await JobQueue.enqueue([request], on: connection).compactMap(\.insertedID)
            }
            try await connection.query("UPDATE rectify_periodic_fires SET job_ids = \(ids)::int8[] WHERE entry = \(entry.name) AND due_at = \(due)")
            return .fired(jobIDs: ids)
        }
    }

    /// The latest due time of `entry` that fired, if any.
    public static func lastFired(_ entry: String, pool: PostgresPool) async throws -> Date? {
        try await pool.query("SELECT max(due_at) FROM rectify_periodic_fires WHERE entry = \(entry)")[0].decode(Date?.self, at: 0)
    }

    /// The due times of `entry` that should fire at `now`: those after its last fired one, the
    /// newest ``PeriodicEntry/catchUpLimit`` of them, and how many older ones are skipped. An
    /// entry that never fired has only its latest due time due.
    public static func dueTimes(of entry: PeriodicEntry, lastFired: Date?, now: Date) -> (times: [Date], skipped: Int) {
        guard let lastFired else { return (entry.cron.latest(atOrBefore: now).map { [$0] } ?? [], 0) }
        return entry.cron.dueTimes(after: lastFired, through: now, limit: entry.catchUpLimit)
    }

    /// Fires every due time of `entries` that is due at `now` and has not fired, logging what it did.
    public static func fireDue(
        _ entries: [PeriodicEntry], now: Date, by: String, pool: PostgresPool, logger: Logger, actions: PeriodicActions = .rectify
    ) async throws {
        for entry in entries {
            let (times, skipped) = dueTimes(of: entry, lastFired: try await lastFired(entry.name, pool: pool), now: now)
            if skipped > 0 {
                logger.info("skipped missed due times beyond the catch-up limit", metadata: [
                    LogMetadataKey.scheduleEntry: "\(entry.name)", "skipped": "\(skipped)", "catch_up_limit": "\(entry.catchUpLimit)",
                ])
            }
            for due in times {
                if case .fired(let ids) = try await fire(entry, due: due, by: by, pool: pool, actions: actions) {
                    logger.info("fired a periodic entry", metadata: [
                        LogMetadataKey.scheduleEntry: "\(entry.name)", "due": "\(due)", "jobs": "\(ids)",
                    ])
                }
            }
        }
    }
}
