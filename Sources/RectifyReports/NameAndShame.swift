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

    /// Computes the notice and writes it as the period's report, on the job's connection; returns
    /// the report's id and how many units and tasks it names. `stalledAfter` is N, the reported
    /// months without an increase that make a task stalled.
    ///
    /// The notice is assembled in the database: at national scale it names tens of thousands of
    /// tasks, and the worker never holds them.
    static func write(
        period: Period, round: String?, stalledAfter: Int, jobID: Int64, on connection: isolated PostgresConnection
    ) async throws -> (report: Int64, unitsNamed: Int, tasksNamed: Int) {
        try await connection.query(PostgresQuery(sql: """
            CREATE TEMP TABLE rectify_named ON COMMIT DROP AS
            WITH open_tasks AS (
                SELECT t.id, t.lead_unit, t.region, t.deadline
                FROM rectify_tasks t
                WHERE t.status NOT IN ('accepted', 'closed') AND ($2::text IS NULL OR t.round = $2::text)
            ), monthly AS (
                -- Each task's reported progress per month up to the period (the latest submission of a month counts).
                -- Ids and periods are codes: sorting them by bytes ("C") spares the locale's collation.
                SELECT DISTINCT ON (s.task COLLATE "C", s.period COLLATE "C") s.task, s.period, s.progress
                FROM rectify_progress_submissions s JOIN open_tasks o ON o.id = s.task
                WHERE s.period <= $3::text
                ORDER BY s.task COLLATE "C", s.period COLLATE "C", s.submitted_at DESC
            ), recent AS (
                SELECT task, progress, row_number() OVER (PARTITION BY task COLLATE "C" ORDER BY period COLLATE "C" DESC) AS age
                FROM monthly
            ), stalled AS (
                -- Stalled: N + 1 reported months, and none of the latest N above the one before them.
                SELECT task FROM recent GROUP BY task
                HAVING count(*) FILTER (WHERE age <= $4::int + 1) = $4::int + 1
                   AND max(progress) FILTER (WHERE age <= $4::int) <= max(progress) FILTER (WHERE age = $4::int + 1)
            ), named AS (
                SELECT o.lead_unit, o.region, o.id, 'overdue' AS reason, ($1::date - o.deadline) AS days
                FROM open_tasks o WHERE o.deadline < $1::date
                UNION ALL
                SELECT o.lead_unit, o.region, o.id, 'not_reported', 0 FROM open_tasks o
                WHERE NOT EXISTS (SELECT 1 FROM rectify_progress_submissions s WHERE s.task = o.id AND s.period = $3::text)
                UNION ALL
                SELECT o.lead_unit, o.region, o.id, 'stalled', 0 FROM open_tasks o JOIN stalled ON stalled.task = o.id
            ), previous AS (
                -- Each unit's level in the previous month's notice of the same scope.
                SELECT DISTINCT e->>'unit' AS unit, e->>'level' AS level
                FROM rectify_reports r, jsonb_array_elements(r.figures->'named') e
                WHERE r.kind = 'name_and_shame' AND r.period = $5::text AND r.round = coalesce($2::text, '')
            )
            SELECT n.lead_unit AS unit, u.name AS unit_name, n.region, n.id AS task, n.reason, n.days AS days_overdue,
                   -- Named again the month after: reminder → warning → public notice; otherwise reminder.
                   CASE p.level WHEN 'reminder' THEN 'warning' WHEN 'warning' THEN 'public_notice'
                                WHEN 'public_notice' THEN 'public_notice' ELSE 'reminder' END AS level
            FROM named n JOIN rectify_units u ON u.id = n.lead_unit LEFT JOIN previous p ON p.unit = n.lead_unit
            """, binds: ["\(period.lastDay)", round, "\(period)", stalledAfter, "\(period.previous)"]))
        let report = try await ReportStore.replace(
            kind: ReportJobs.nameAndShame, period: "\(period)", round: round, jobID: jobID, figuresSQL: """
                SELECT jsonb_build_object(
                    'units_named', count(DISTINCT unit), 'tasks_named', count(DISTINCT task),
                    'named', coalesce(jsonb_agg(to_jsonb(n) ORDER BY unit COLLATE "C", task COLLATE "C", reason), '[]'))
                FROM rectify_named n
                """, on: connection)
        try await Notifications.name(report: report, period: period, on: connection)
        let (units, tasks) = try await connection.query("""
            SELECT (figures->>'units_named')::int, (figures->>'tasks_named')::int FROM rectify_reports WHERE id = \(report)
            """)[0].decode((Int, Int).self)
        return (report, units, tasks)
    }
}
