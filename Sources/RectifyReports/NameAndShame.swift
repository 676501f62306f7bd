import RectifyDomain
import RectifyPostgres

/// The name-and-shame notice (点名通报) of a period: the units whose tasks are overdue, were
/// not reported for the period, or stalled (no progress increase over the last N reported
/// months). A unit named in consecutive months escalates reminder → warning → public notice;
/// a month without being named starts it again at reminder.
public struct NameAndShame: Sendable, Hashable, Codable {
    /// Why a task's lead unit is named.
    public enum Reason: String, Sendable, Hashable, Codable, CaseIterable {
        case overdue
        case notReported = "not_reported"
        case stalled
    }

    /// How strongly a unit is named: 提醒, 预警, 通报.
    public enum Level: String, Sendable, Hashable, Codable, CaseIterable {
        case reminder
        case warning
        case publicNotice = "public_notice"

        /// The level for a unit named again the month after being named at `self`.
        public var escalated: Level {
            switch self {
            case .reminder: .warning
            case .warning, .publicNotice: .publicNotice
            }
        }
    }

    /// One named task of one unit.
    public struct Entry: Sendable, Hashable, Codable {
        public var unit: String
        /// The unit's name, for people reading the notice.
        public var unitName: String
        public var region: String
        public var task: String
        public var reason: Reason
        /// Days from the deadline to the period's last day; 0 unless overdue.
        public var daysOverdue: Int
        public var level: Level

        enum CodingKeys: String, CodingKey {
            case unit, region, task, reason, level, daysOverdue = "days_overdue", unitName = "unit_name"
        }
    }

    public var unitsNamed = 0
    public var tasksNamed = 0
    public var named: [Entry] = []

    enum CodingKeys: String, CodingKey {
        case unitsNamed = "units_named", tasksNamed = "tasks_named", named
    }

    /// Computes the notice on the job's connection. `stalledAfter` is N, the reported months
    /// without an increase that make a task stalled.
    static func compute(
        period: Period, round: String?, stalledAfter: Int, on connection: isolated PostgresConnection
    ) async throws -> NameAndShame {
        let rows = try await connection.query(PostgresQuery(sql: """
            WITH open_tasks AS (
                SELECT t.id, t.lead_unit, t.region, t.deadline
                FROM rectify_tasks t
                WHERE t.status NOT IN ('accepted', 'closed') AND ($2::text IS NULL OR t.round = $2::text)
            ), monthly AS (
                -- Each task's reported progress per month up to the period (the latest submission of a month counts).
                SELECT DISTINCT ON (s.task, s.period) s.task, s.period, s.progress
                FROM rectify_progress_submissions s JOIN open_tasks o ON o.id = s.task
                WHERE s.period <= $3::text
                ORDER BY s.task, s.period, s.submitted_at DESC
            ), recent AS (
                SELECT task, progress, row_number() OVER (PARTITION BY task ORDER BY period DESC) AS age FROM monthly
            ), stalled AS (
                -- Stalled: N + 1 reported months, and none of the latest N above the one before them.
                SELECT task FROM recent GROUP BY task
                HAVING count(*) FILTER (WHERE age <= $4::int + 1) = $4::int + 1
                   AND max(progress) FILTER (WHERE age <= $4::int) <= max(progress) FILTER (WHERE age = $4::int + 1)
            )
            , named AS (
                SELECT o.lead_unit, o.region, o.id, 'overdue' AS reason, ($1::date - o.deadline) AS days
                FROM open_tasks o WHERE o.deadline < $1::date
                UNION ALL
                SELECT o.lead_unit, o.region, o.id, 'not_reported', 0 FROM open_tasks o
                WHERE NOT EXISTS (SELECT 1 FROM rectify_progress_submissions s WHERE s.task = o.id AND s.period = $3::text)
                UNION ALL
                SELECT o.lead_unit, o.region, o.id, 'stalled', 0 FROM open_tasks o JOIN stalled ON stalled.task = o.id
            )
            SELECT n.lead_unit, u.name, n.region, n.id, n.reason, n.days
            FROM named n JOIN rectify_units u ON u.id = n.lead_unit
            ORDER BY n.lead_unit, n.id, n.reason
            """, binds: ["\(period.lastDay)", round, "\(period)", stalledAfter]))
        let previous = try await previousLevels(period: period, round: round, on: connection)
        var notice = NameAndShame()
        for row in rows {
            let (unit, unitName, region, task, reason, days) = try row.decode((String, String, String, String, String, Int).self)
            let level = previous[unit].map(\.escalated) ?? .reminder
            notice.named.append(Entry(
                unit: unit, unitName: unitName, region: region, task: task, reason: Reason(rawValue: reason)!, daysOverdue: days,
                level: level))
        }
        notice.unitsNamed = Set(notice.named.map(\.unit)).count
        notice.tasksNamed = Set(notice.named.map(\.task)).count
        return notice
    }

    /// Each unit's level in the previous month's notice of the same scope; absent if not named.
    private static func previousLevels(
        period: Period, round: String?, on connection: isolated PostgresConnection
    ) async throws -> [String: Level] {
        let rows = try await connection.query("""
            SELECT DISTINCT e->>'unit', e->>'level'
            FROM rectify_reports r, jsonb_array_elements(r.figures->'named') e
            WHERE r.kind = 'name_and_shame' AND r.period = \("\(period.previous)") AND r.round = \(round ?? "")
            """)
        var levels: [String: Level] = [:]
        for row in rows {
            let (unit, level) = try row.decode((String, String).self)
            levels[unit] = Level(rawValue: level)
        }
        return levels
    }
}
