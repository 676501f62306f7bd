import RectifyDomain
import RectifyPostgres
import RectifyProgress

/// The name-and-shame notice (点名通报) of a period: the units whose unfinished tasks are
/// overdue, whose office was due to report and sent nothing for the period, or stalled (no
/// progress increase over the last N reported months). A task pending acceptance waits on the
/// province and is never named.
///
/// Levels escalate over the notices actually issued (签发; a draft never issued does not count): a unit named in the latest notice before
/// this one moves up reminder → warning → public notice; a unit that notice did not name starts
/// at reminder. A month with no notice (a missed run) neither escalates nor resets a level.
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
        public var regionName: String
        /// The city the unit's region belongs to (the region itself for a city or the province).
        public var city: String
        public var cityName: String
        public var task: String
        public var taskTitle: String
        public var round: String
        /// The task's deadline, `YYYY-MM-DD`.
        public var deadline: String
        /// The deadline before the province extended it (延期), `nil` when it never did.
        public var originalDeadline: String?
        public var reason: Reason
        /// Days from the deadline to the first day after the period; 0 unless overdue.
        public var daysOverdue: Int
        public var level: Level
        /// The unit's level in the previous notice, `nil` when that notice did not name it.
        public var previousLevel: Level?

        enum CodingKeys: String, CodingKey {
            case unit, region, task, reason, level, round, deadline, city
            case daysOverdue = "days_overdue", unitName = "unit_name", regionName = "region_name", cityName = "city_name"
            case taskTitle = "task_title", previousLevel = "previous_level", originalDeadline = "original_deadline"
        }
    }

    public var unitsNamed = 0
    public var tasksNamed = 0
    /// The period of the issued notice whose levels this one escalates from, if any.
    public var previousNotice: String?
    /// How many units that notice named.
    public var previousUnitsNamed: Int?
    public var named: [Entry] = []

    enum CodingKeys: String, CodingKey {
        case unitsNamed = "units_named", tasksNamed = "tasks_named", named, previousNotice = "previous_notice"
        case previousUnitsNamed = "previous_units_named"
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
                -- Only unfinished tasks are named: one pending acceptance waits on the province.
                SELECT t.id, t.title, t.round, t.lead_unit, t.region, t.deadline, t.status
                FROM rectify_ledger_tasks t
                WHERE t.status IN ('not_started', 'in_progress') AND ($2::text IS NULL OR t.round = $2::text)
            ), reported AS (
                SELECT DISTINCT s.office, st.round
                FROM rectify_ledger_submissions s JOIN rectify_ledger_tasks st ON st.id = s.task
                WHERE s.period = $3::text
            ), silent AS (
                -- The tasks of the offices due to report that sent nothing for the period (per
                -- round: nothing on that round's tasks), as the schedule counts them.
                SELECT DISTINCT d.task FROM rectify_due_to_report d
                WHERE ($2::text IS NULL OR d.round = $2::text)
                  AND NOT EXISTS (SELECT FROM reported r WHERE r.office = d.office AND ($2::text IS NULL OR r.round = d.round))
            ), monthly AS (
                -- Each task's reported progress per month up to the period (the latest submission of a month counts).
                -- Ids and periods are codes: sorting them by bytes ("C") spares the locale's collation.
                SELECT DISTINCT ON (s.task COLLATE "C", s.period COLLATE "C") s.task, s.period, s.progress
                FROM rectify_ledger_submissions s JOIN open_tasks o ON o.id = s.task
                WHERE s.period <= $3::text
                ORDER BY s.task COLLATE "C", s.period COLLATE "C", s.submitted_at DESC, s.submission_id DESC
            ), recent AS (
                SELECT task, progress, row_number() OVER (PARTITION BY task COLLATE "C" ORDER BY period COLLATE "C" DESC) AS age
                FROM monthly
            ), stalled AS (
                -- Stalled: N + 1 reported months, and none of the latest N above the one before them.
                SELECT task FROM recent GROUP BY task
                HAVING count(*) FILTER (WHERE age <= $4::int + 1) = $4::int + 1
                   AND max(progress) FILTER (WHERE age <= $4::int) <= max(progress) FILTER (WHERE age = $4::int + 1)
            ), named AS (
                -- Overdue as of the end of the month: due on or before its last day, counted to the day after.
                SELECT o.*, 'overdue' AS reason, ($1::date + 1 - o.deadline) AS days
                FROM open_tasks o WHERE o.deadline <= $1::date
                UNION ALL
                SELECT o.*, 'not_reported', 0 FROM open_tasks o JOIN silent ON silent.task = o.id
                UNION ALL
                SELECT o.*, 'stalled', 0 FROM open_tasks o JOIN stalled ON stalled.task = o.id
            ), previous_notice AS (
                -- The latest notice of the same scope issued for a period before this one,
                -- however long ago; drafts never issued do not count.
                SELECT r.figures FROM rectify_issued_reports r
                WHERE r.kind = 'name_and_shame' AND r.round = coalesce($2::text, '') AND r.period < $3::text
                ORDER BY r.period DESC LIMIT 1
            ), previous AS (
                SELECT DISTINCT e->>'unit' AS unit, e->>'level' AS level
                FROM previous_notice p, jsonb_array_elements(p.figures->'named') e
            )
            SELECT n.lead_unit AS unit, u.name AS unit_name, n.region, r.name AS region_name,
                   c.code AS city, c.name AS city_name, n.id AS task, n.title AS task_title, n.round,
                   n.deadline::text AS deadline, x.original_deadline::text AS original_deadline, n.reason, n.days AS days_overdue,
                   -- Named again in the next notice: reminder → warning → public notice; otherwise reminder.
                   CASE p.level WHEN 'reminder' THEN 'warning' WHEN 'warning' THEN 'public_notice'
                                WHEN 'public_notice' THEN 'public_notice' ELSE 'reminder' END AS level,
                   p.level AS previous_level
            FROM named n
            JOIN rectify_ledger_units u ON u.id = n.lead_unit
            JOIN rectify_ledger_regions r ON r.code = n.region
            JOIN rectify_ledger_regions c ON c.code = CASE r.level WHEN 'county' THEN r.parent ELSE r.code END
            LEFT JOIN previous p ON p.unit = n.lead_unit
            LEFT JOIN rectify_task_extensions x ON x.task = n.id
            """, binds: ["\(period.lastDay)", round, "\(period)", stalledAfter]))
        let report = try await ReportStore.replace(
            kind: ReportJobs.nameAndShame, period: "\(period)", round: round, jobID: jobID, figuresSQL: """
                SELECT jsonb_build_object(
                    'units_named', count(DISTINCT unit), 'tasks_named', count(DISTINCT task),
                    'named', coalesce(jsonb_agg(to_jsonb(n) ORDER BY unit COLLATE "C", task COLLATE "C", reason), '[]'))
                FROM rectify_named n
                """, on: connection)
        try await connection.query("""
            UPDATE rectify_reports SET figures = figures || coalesce((
                SELECT jsonb_build_object('previous_notice', p.period, 'previous_notice_id', p.id,
                                          'previous_units_named', p.figures->'units_named')
                FROM rectify_issued_reports p
                WHERE p.kind = 'name_and_shame' AND p.round = coalesce(\(round)::text, '') AND p.period < \("\(period)")
                ORDER BY p.period DESC LIMIT 1), '{}')
            WHERE id = \(report)
            """)
        try await Notifications.name(report: report, period: period, on: connection)
        let (units, tasks) = try await connection.query("""
            SELECT (figures->>'units_named')::int, (figures->>'tasks_named')::int FROM rectify_reports WHERE id = \(report)
            """)[0].decode((Int, Int).self)
        return (report, units, tasks)
    }
}
