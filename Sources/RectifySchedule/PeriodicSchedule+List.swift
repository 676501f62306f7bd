public import Foundation
public import RectifyPostgres
import RectifyDomain
import RectifyQueue

extension PeriodicSchedule {
    /// One periodic entry, when it last and next fires, and its recent due times' jobs.
    public struct EntryStatus: Sendable, Hashable {
        /// One fired due time and the jobs it enqueued.
        public struct Fire: Sendable, Hashable {
            public var due: Date
            public var firedAt: Date
            public var firedBy: String
            /// The jobs and their states (`nil` once pruned from the finished jobs). For an
            /// action's due time, the jobs the action names (the monthly run: its month's).
            public var jobs: [Job]
        }

        /// A job a due time enqueued, and its state (`nil` once pruned from the finished jobs).
        public struct Job: Sendable, Hashable {
            public var id: Int64
            public var state: String?
        }

        public var entry: PeriodicEntry
        /// Whether a scheduling leader has registered the entry in the database; an entry only
        /// in this host's configuration is not registered yet.
        public var registered: Bool
        /// The latest due time that fired.
        public var lastDue: Date?
        /// The next due time after now.
        public var nextDue: Date?
        /// The newest fired due times, newest first.
        public var fires: [Fire]
    }

    /// Every entry, configured here or registered by a leader (configured ones first), with
    /// its last and next due times and its `fires` newest fired due times; an action's due
    /// times show the jobs the action names for them (``PeriodicAction/jobs(for:of:on:)``).
    public static func list(
        configured: [PeriodicEntry], now: Date = Date(), fires limit: Int = 3, pool: PostgresPool,
        actions: PeriodicActions = .rectify
    ) async throws -> [EntryStatus] {
        try await pool.transaction { connection in
            let registeredRows = try await connection.query("""
                SELECT name, cron, time_zone, kind, args::text, queue, catch_up_limit FROM rectify_periodic_entries ORDER BY name
                """)
            var registered: [String: PeriodicEntry] = [:]
            var order = configured.map(\.name)
            for row in registeredRows {
                let (name, cron, zone, kind, args, queue, limit) = try row.decode((String, String, String, String, String, String, Int).self)
                guard let timeZone = TimeZone(identifier: zone), let expression = try? CronExpression(cron, timeZone: timeZone),
                    let entry = try? PeriodicEntry(name: name, cron: expression, kind: kind, argsJSON: args, queue: queue, catchUpLimit: limit)
                else { continue }
                registered[name] = entry
                if !order.contains(name) { order.append(name) }
            }
            let byName = Dictionary(configured.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            var statuses: [EntryStatus] = []
            for name in order {
                guard let entry = byName[name] ?? registered[name] else { continue }
                var fires: [EntryStatus.Fire] = []
                var jobIDs: [[Int64]] = []
                for row in try await connection.query("""
                    SELECT due_at, fired_at, fired_by, job_ids FROM rectify_periodic_fires WHERE entry = \(name) ORDER BY due_at DESC LIMIT \(limit)
                    """)
                {
                    let (due, at, by, ids) = try row.decode((Date, Date, String, [Int64]).self)
                    fires.append(.init(due: due, firedAt: at, firedBy: by, jobs: []))
                    jobIDs.append(ids)
                }
                if let action = actions.action(for: entry.kind) {
                    jobIDs = try await action.jobs(for: fires.map(\.due), of: entry, on: connection)
                }
                let states = try await JobQueue.states(of: jobIDs.flatMap { $0 }, on: connection)
                for index in fires.indices {
                    fires[index].jobs = jobIDs[index].map { EntryStatus.Job(id: $0, state: states[$0]) }
                }
                statuses.append(EntryStatus(
                    entry: entry, registered: registered[name] != nil, lastDue: fires.first?.due, nextDue: entry.cron.next(after: now),
                    fires: fires))
            }
            return statuses
        }
    }
}
