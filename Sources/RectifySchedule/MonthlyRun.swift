public import Foundation
public import RectifyDomain
public import RectifyPostgres
import RectifyQueue
import RectifyReports

/// The month's run: the monthly scheduling report, the name-and-shame notice, the
/// accountability tally and the public disclosure of one period, enqueued once per period
/// however often it is fired.
public enum MonthlyRun: PeriodicAction {
    /// The job kinds of a month, in the order they are enqueued.
    public static let kinds = ReportJobs.kinds

    /// The queue the month's jobs go to.
    public static let queue = "reports"

    /// What firing the run for a period did.
    public enum Outcome: Sendable, Equatable {
        /// The period's jobs were enqueued now, with these ids (in ``kinds`` order).
        case scheduled(jobIDs: [Int64])
        /// The period had been scheduled before, at that time by that host.
        case alreadyScheduled(at: Date, by: String)
    }

    /// The name of the monthly run's periodic entry.
    public static let entryName = "monthly_run"
    /// The kind of the monthly run's periodic entry: firing it schedules a month's run, not one job.
    public static let entryKind = "monthly_run"

    /// The arguments of the monthly run's periodic entry, as its `args` JSON holds them.
    struct EntryArgs: Codable {
        /// The name-and-shame threshold N, if not the default.
        var stalledAfterMonths: Int?

        /// Creates the arguments.
        init(stalledAfterMonths: Int? = nil) {
            self.stalledAfterMonths = stalledAfterMonths
        }

        /// Reads the arguments from an entry's `args` JSON.
        init(json: String) throws {
            self = try JSONDecoder().decode(Self.self, from: Data(json.utf8))
        }

        /// The arguments as an entry's `args` JSON.
        var json: String {
            String(decoding: (try? JSONEncoder().encode(self)) ?? Data("{}".utf8), as: UTF8.self)
        }

        enum CodingKeys: String, CodingKey {
            case stalledAfterMonths = "stalled_after_months"
        }
    }

    /// Schedules the month before `due` (``schedule(period:by:stalledAfterMonths:on:)``); no
    /// jobs when `rectify schedule monthly` had scheduled it already.
    public static func fire(_ entry: PeriodicEntry, due: Date, by: String, on connection: isolated PostgresConnection) async throws -> [Int64] {
        let args = try EntryArgs(json: entry.argsJSON)
        let outcome = try await schedule(
            period: period(due: due, in: entry.cron.timeZone), by: by, stalledAfterMonths: args.stalledAfterMonths, on: connection)
        if case .scheduled(let jobIDs) = outcome { return jobIDs }
        return []
    }

    /// The jobs of each due time's month, whichever path scheduled them, in the run's order.
    public static func jobs(for dues: [Date], of entry: PeriodicEntry, on connection: isolated PostgresConnection) async throws -> [[Int64]] {
        let periods = dues.map { "\(period(due: $0, in: entry.cron.timeZone))" }
        var runs: [String: [Int64]] = [:]
        for row in try await connection.query("""
            SELECT period, job_id FROM rectify_scheduled_runs WHERE period = ANY(\(periods)::text[]) AND job_id IS NOT NULL
            ORDER BY period, array_position(\(kinds)::text[], kind)
            """)
        {
            let (period, id) = try row.decode((String, Int64).self)
            runs[period, default: []].append(id)
        }
        return periods.map { runs[$0] ?? [] }
    }

    /// The month a due time of the monthly entry runs: the month before the one it falls in, in `timeZone`.
    public static func period(due: Date, in timeZone: TimeZone) -> Period {
        Period(containing: due, in: timeZone).previous
    }

    /// Enqueues the period's jobs unless they were enqueued before.
    ///
    /// The rows of `rectify_scheduled_runs` and the jobs are written in one transaction, and the
    /// table's primary key on (kind, period) admits one set: a concurrent caller waits for the
    /// first to commit and then finds the period scheduled.
    ///
    /// - Parameters:
    ///   - by: who fired it, for `schedule list` (`cron@host`, `scheduler@worker-id`).
    ///   - stalledAfterMonths: the name-and-shame threshold N, if not the default.
    public static func schedule(
        period: Period, by: String, stalledAfterMonths: Int? = nil, pool: PostgresPool
    ) async throws -> Outcome {
        try await pool.transaction { connection in
            try await schedule(period: period, by: by, stalledAfterMonths: stalledAfterMonths, on: connection)
        }
    }

    /// Enqueues the period's jobs unless they were enqueued before, inside the caller's
    /// transaction (see ``schedule(period:by:stalledAfterMonths:pool:)``).
    public static func schedule(
        period: Period, by: String, stalledAfterMonths: Int? = nil, on connection: isolated PostgresConnection
    ) async throws -> Outcome {
        let claimed = try await connection.query("""
            INSERT INTO rectify_scheduled_runs (kind, period, scheduled_by)
            SELECT kind, \("\(period)"), \(by) FROM unnest(\(kinds)::text[]) AS kind
            ON CONFLICT (kind, period) DO NOTHING
            RETURNING kind
            """).map { try $0.decode(String.self, at: 0) }
        guard !claimed.isEmpty else {
            let row = try await connection.query("""
                SELECT min(scheduled_at), min(scheduled_by) FROM rectify_scheduled_runs WHERE period = \("\(period)")
                """)[0]
            let (at, who) = try row.decode((Date, String).self)
            return .alreadyScheduled(at: at, by: who)
        }
        let kindsToEnqueue = kinds.filter(claimed.contains)
        let requests = try kindsToEnqueue.map { kind in
            try ReportJobs.definition(kind).request(
                ReportJobs.Args(period: "\(period)", stalledAfterMonths: kind == ReportJobs.nameAndShame ? stalledAfterMonths : nil),
                queue: queue)
        }
        let ids = try await JobQueue.enqueue(requests, on: connection).compactMap(\.insertedID)
        try await connection.query("""
            UPDATE rectify_scheduled_runs AS r SET job_id = j.id
            FROM unnest(\(kindsToEnqueue)::text[], \(ids)::int8[]) AS j(kind, id)
            WHERE r.kind = j.kind AND r.period = \("\(period)")
            """)
        return .scheduled(jobIDs: ids)
    }

    /// One scheduled period and the state of its jobs.
    public struct ScheduledPeriod: Sendable, Hashable {
        /// One job of the period.
        public struct Run: Sendable, Hashable {
            public var kind: String
            public var jobID: Int64?
            /// The job's state, or `nil` once pruned from the finished jobs.
            public var state: String?
        }

        public var period: String
        public var scheduledAt: Date
        public var scheduledBy: String
        public var runs: [Run]
    }

    /// The periods scheduled, newest first, with their jobs' states (asked of the queue).
    public static func list(pool: PostgresPool, limit: Int = 24) async throws -> [ScheduledPeriod] {
        try await pool.transaction { connection in
            let rows = try await connection.query("""
                SELECT r.period, min(r.scheduled_at) OVER (PARTITION BY r.period), min(r.scheduled_by) OVER (PARTITION BY r.period),
                       r.kind, r.job_id
                FROM rectify_scheduled_runs r
                WHERE r.period IN (SELECT DISTINCT period FROM rectify_scheduled_runs ORDER BY period DESC LIMIT \(limit))
                ORDER BY r.period DESC, array_position(\(kinds)::text[], r.kind)
                """)
            var periods: [ScheduledPeriod] = []
            for row in rows {
                let (period, at, by, kind, jobID) = try row.decode((String, Date, String, String, Int64?).self)
                if periods.last?.period != period {
                    periods.append(ScheduledPeriod(period: period, scheduledAt: at, scheduledBy: by, runs: []))
                }
                periods[periods.count - 1].runs.append(.init(kind: kind, jobID: jobID, state: nil))
            }
            let states = try await JobQueue.states(of: periods.flatMap { $0.runs.compactMap(\.jobID) }, on: connection)
            for p in periods.indices {
                for r in periods[p].runs.indices {
                    periods[p].runs[r].state = periods[p].runs[r].jobID.flatMap { states[$0] }
                }
            }
            return periods
        }
    }

    /// Whether every job kind of the period's run has been scheduled.
    public static func isScheduled(_ period: Period, pool: PostgresPool) async throws -> Bool {
        try await pool.query("SELECT count(*) FROM rectify_scheduled_runs WHERE period = \("\(period)")")[0].decode(Int.self, at: 0) == kinds.count
    }
}

extension PeriodicActions {
    /// rectify's periodic actions: the monthly run.
    public static let rectify = PeriodicActions([MonthlyRun.self])
}
