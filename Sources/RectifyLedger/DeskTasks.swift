import Foundation
public import RectifyDomain
public import RectifyPostgres

/// The tasks of an office as its desk shows them: where each stands today, how many days it is
/// overdue, and whether it was reported for the reporting period; and, for a city or the
/// province, which offices below it have not reported.
public struct DeskTasks: Sendable {
    /// One task on the desk.
    public struct Row: Sendable, Hashable {
        public var id: String
        public var title: String
        public var leadUnitName: String
        public var regionName: String
        public var deadline: Day
        public var status: TaskStatus
        public var progress: Int
        /// Days past the deadline of an unfinished task; `nil` when it is not overdue.
        public var daysOverdue: Int?
        /// Whether any progress was reported on it for the reporting period.
        public var reported: Bool
    }

    /// What the list shows.
    public struct Filter: Sendable, Hashable {
        public var status: TaskStatus?
        /// Only unfinished tasks past their deadline.
        public var overdueOnly = false
        /// Only tasks with no progress reported for the period.
        public var notReportedOnly = false
        /// Words the title or id must contain.
        public var search: String?

        /// Creates a filter.
        public init(status: TaskStatus? = nil, overdueOnly: Bool = false, notReportedOnly: Bool = false, search: String? = nil) {
            self.status = status
            self.overdueOnly = overdueOnly
            self.notReportedOnly = notReportedOnly
            self.search = search
        }
    }

    /// An office below this one that is due to report and has not, for the period.
    public struct Silent: Sendable, Hashable {
        public var officeName: String
        public var regionName: String
        /// Its unfinished tasks with nothing reported for the period.
        public var tasks: Int
    }

    private let pool: PostgresPool

    /// Creates the desk's task queries on a pool.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// The tasks `office` answers for (its region and below, every task for the province; a
    /// unit's own office its unit's), as
    /// of `today`, reported or not for `period`, by deadline; at most `limit`.
    public func list(for office: Office, period: Period, today: Day, filter: Filter = Filter(), limit: Int = 500) async throws -> [Row] {
        guard office.region != nil || office.unit != nil else { return [] }
        var binds: [any PostgresBindable] = [office.region, "\(period)", today.description, office.unit]
        func bind(_ value: any PostgresBindable) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        var sql = """
            SELECT t.id, t.title, u.name, r.name, t.deadline::text, t.status, t.progress,
                   CASE WHEN t.status IN ('not_started', 'in_progress') AND t.deadline < $3::date
                        THEN $3::date - t.deadline END,
                   EXISTS (SELECT FROM rectify_progress_submissions s WHERE s.task = t.id AND s.period = $2)
            FROM rectify_tasks t
            JOIN rectify_units u ON u.id = t.lead_unit
            JOIN rectify_regions r ON r.code = t.region
            WHERE (t.lead_unit IN (SELECT unit FROM rectify_unit_scope WHERE region = $1::text) OR t.lead_unit = $4::text)
            """
        if let status = filter.status { sql += " AND t.status = \(bind(status.rawValue))" }
        if filter.overdueOnly { sql += " AND t.status IN ('not_started', 'in_progress') AND t.deadline < $3::date" }
        if filter.notReportedOnly {
            sql += """
                 AND t.status IN ('not_started', 'in_progress')
                 AND NOT EXISTS (SELECT FROM rectify_progress_submissions s WHERE s.task = t.id AND s.period = $2)
                """
        }
        if let search = filter.search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
            let pattern = bind("%" + search.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%")
            sql += " AND (t.title ILIKE \(pattern) OR t.id ILIKE \(pattern) OR u.name ILIKE \(pattern))"
        }
        sql += " ORDER BY t.status IN ('accepted', 'closed'), t.deadline, t.id LIMIT \(bind(limit))"
        return try await pool.query(PostgresQuery(sql: sql, binds: binds)).map { row in
            let (id, title, unit, regionName, deadline, status, progress, overdue, reported) =
                try row.decode((String, String, String, String, String, String, Int, Int?, Bool).self)
            guard let day = Day(deadline), let parsed = TaskStatus(rawValue: status) else {
                throw PostgresError(code: .decoding, message: "task \(id): deadline \(deadline) or status \(status) unreadable")
            }
            return Row(id: id, title: title, leadUnitName: unit, regionName: regionName, deadline: day, status: parsed,
                       progress: progress, daysOverdue: overdue, reported: reported)
        }
    }

    /// The offices at and below `office`'s region that are due to report for `period` on
    /// unfinished tasks of their own region and sent nothing for some of them, most silent first.
    public func silentOffices(under office: Office, period: Period) async throws -> [Silent] {
        guard let region = office.region else { return [] }
        return try await pool.query("""
            SELECT o.name, r.name, count(*)
            FROM rectify_due_to_report d
            JOIN rectify_offices o ON o.id = d.office
            JOIN rectify_regions r ON r.code = o.region
            WHERE (o.region = \(region) OR o.region IN (
                       SELECT code FROM rectify_regions
                       WHERE parent = \(region) OR parent IN (SELECT code FROM rectify_regions WHERE parent = \(region))))
              AND NOT EXISTS (SELECT FROM rectify_progress_submissions s WHERE s.task = d.task AND s.period = \("\(period)"))
            GROUP BY o.id, o.name, r.name
            ORDER BY count(*) DESC, o.name
            """).map { row in
            let (name, regionName, tasks) = try row.decode((String, String, Int).self)
            return Silent(officeName: name, regionName: regionName, tasks: tasks)
        }
    }
}

extension DeskTasks {
    /// One city on the province's overview.
    public struct Place: Sendable, Hashable {
        public var region: String
        public var name: String
        public var tasks: Int
        public var closed: Int
        /// Unfinished tasks past their deadline.
        public var overdue: Int
        /// Unfinished tasks with nothing reported for the period.
        public var notReported: Int
    }

    /// Every city of the province, with its tasks (its own and its counties'), closed, overdue
    /// as of `today`, and not reported for `period`; by code.
    public func overview(period: Period, today: Day) async throws -> [Place] {
        try await pool.query("""
            SELECT c.code, c.name, count(t.id),
                   count(t.id) FILTER (WHERE t.status = 'closed'),
                   count(t.id) FILTER (WHERE t.status IN ('not_started', 'in_progress') AND t.deadline < \(today.description)::date),
                   count(t.id) FILTER (WHERE t.status IN ('not_started', 'in_progress') AND NOT EXISTS (
                       SELECT FROM rectify_progress_submissions s WHERE s.task = t.id AND s.period = \("\(period)")))
            FROM rectify_regions c
            LEFT JOIN rectify_unit_scope sc ON sc.region = c.code
            LEFT JOIN rectify_tasks t ON t.lead_unit = sc.unit
            WHERE c.level = 'city'
            GROUP BY c.code, c.name
            ORDER BY c.code
            """).map { row in
            let (region, name, tasks, closed, overdue, notReported) = try row.decode((String, String, Int, Int, Int, Int).self)
            return Place(region: region, name: name, tasks: tasks, closed: closed, overdue: overdue, notReported: notReported)
        }
    }

    /// Tasks closed (销号) in each of the twelve months ending with `period`, oldest first.
    public func closedByMonth(endingWith period: Period) async throws -> [(period: Period, closed: Int)] {
        var months = [period]
        while months.count < 12 { months.insert(months[0].previous, at: 0) }
        let counts = try await pool.query("""
            SELECT to_char(closed_on, 'YYYY-MM'), count(*) FROM rectify_tasks
            WHERE closed_on >= \(months[0].description + "-01")::date AND status = 'closed'
            GROUP BY 1
            """).reduce(into: [String: Int]()) { counts, row in
            let (month, count) = try row.decode((String, Int).self)
            counts[month] = count
        }
        return months.map { ($0, counts[$0.description] ?? 0) }
    }
}
