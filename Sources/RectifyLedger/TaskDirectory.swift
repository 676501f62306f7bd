public import Foundation
public import RectifyDomain
public import RectifyPostgres

/// Reading tasks as an office may see them: those whose lead unit sits in its region or below
/// (every task for the province and for ops offices), or a unit's own office its unit's, with
/// filters and paging.
public struct TaskDirectory: Sendable {
    /// A task as the API lists it, with names beside ids.
    public struct Summary: Sendable, Hashable, Codable {
        public var id: String
        public var title: String
        public var round: String
        public var category: String
        public var region: String
        public var regionName: String
        public var leadUnit: String
        public var leadUnitName: String
        public var deadline: String
        public var status: String
        public var progress: Int
        public var closedOn: String?
        /// Unfinished (not started or in progress) with its deadline before today.
        public var overdue: Bool

        /// Creates a summary.
        public init(
            id: String, title: String, round: String, category: String, region: String, regionName: String, leadUnit: String,
            leadUnitName: String, deadline: String, status: String, progress: Int, closedOn: String?, overdue: Bool
        ) {
            self.id = id
            self.title = title
            self.round = round
            self.category = category
            self.region = region
            self.regionName = regionName
            self.leadUnit = leadUnit
            self.leadUnitName = leadUnitName
            self.deadline = deadline
            self.status = status
            self.progress = progress
            self.closedOn = closedOn
            self.overdue = overdue
        }

        enum CodingKeys: String, CodingKey {
            case id, title, round, category, region, deadline, status, progress, overdue
            case regionName = "region_name"
            case leadUnit = "lead_unit"
            case leadUnitName = "lead_unit_name"
            case closedOn = "closed_on"
        }
    }

    /// What a list asks for.
    public struct Filter: Sendable, Hashable {
        /// A region code; `nil` means the office's own region (everything for ops).
        public var region: String?
        public var status: TaskStatus?
        /// Only unfinished tasks (not started or in progress) past their deadline (`true`), or
        /// only the others (`false`); a task pending acceptance waits on the province and is
        /// never overdue.
        public var overdue: Bool?
        /// 1–200; default 50.
        public var limit: Int = 50
        /// The last task id of the previous page.
        public var after: String?

        /// Creates a filter.
        public init(region: String? = nil, status: TaskStatus? = nil, overdue: Bool? = nil, limit: Int = 50, after: String? = nil) {
            self.region = region
            self.status = status
            self.overdue = overdue
            self.limit = limit
            self.after = after
        }
    }

    /// One page of tasks, by id, as JSON that PostgreSQL wrote.
    public struct Page: Sendable, Hashable {
        /// The page as UTF-8 JSON, `{"next_after": …, "tasks": [{…}, …]}`: each task an object
        /// with ``Summary``'s keys in sorted order, in id order. Put together from the rows'
        /// bytes as libpq holds them: making a `String` of each task, checking its UTF-8, then
        /// joining and copying them cost a visible share of the request (BENCHMARKS.md).
        public var json: [UInt8]
        /// The number of tasks on the page.
        public var count: Int
        /// Pass as `after` for the next page; `nil` on the last page.
        public var nextAfter: String?
    }

    private let pool: PostgresPool
    private let scopes: RegionScopes
    /// The province's time zone, for "today".
    public var timeZone: TimeZone

    /// Creates a directory on a pool.
    public init(pool: PostgresPool, timeZone: TimeZone) {
        self.pool = pool
        self.scopes = RegionScopes(pool: pool)
        self.timeZone = timeZone
    }

    /// A page of the tasks `office` may see under `filter`.
    ///
    /// - Throws: ``ProgressError`` `out_of_scope` when the region lies outside the office's,
    ///   `not_found` when the region is unknown.
    public func list(_ filter: Filter, by office: Office) async throws -> Page {
        let scope = filter.region ?? office.region
        if let region = scope {
            guard try await !scopes.codes(under: region).isEmpty else {
                throw ProgressError(.notFound, "no region \(region)", field: "region")
            }
            if !office.isOps, let own = office.region, try await !scopes.codes(under: own).contains(region) {
                throw ProgressError(.outOfScope, "region \(region) is outside \(office.name)'s region", field: "region")
            }
        }
        let limit = min(max(filter.limit, 1), 200)
        let today = Day(containing: Date(), in: timeZone).description
        // Only the conditions asked for, so that the server plans the statement once per shape
        // and keeps a generic plan. The rows come from the task listing (see
        // ``TaskRecordMigrations``), which holds each task's JSON but for "overdue". In scope:
        // every task when the region is the only root (a province office over its own ledger),
        // checked once per execution; else the lead units the region has in scope
        // (`rectify_unit_scope`), a set built once per execution and probed per row by hash.
        var binds: [any PostgresBindable] = [today]
        func bind(_ value: any PostgresBindable) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        let isOverdue = "(l.status IN ('not_started', 'in_progress') AND l.deadline < $1::date)"
        var sql = """
            SELECT l.task, l.json_head || CASE WHEN \(isOverdue) THEN ',"overdue":true,' ELSE ',"overdue":false,' END || l.json_tail
            FROM rectify_task_listing l WHERE true
            """
        if let scope {
            let region = bind(scope)
            sql += """
                 AND (NOT EXISTS (SELECT FROM rectify_regions WHERE parent IS NULL AND code <> \(region))
                      OR l.lead_unit IN (SELECT unit FROM rectify_unit_scope WHERE region = \(region)))
                """
        }
        // A unit's own office sees its unit's tasks only, whatever region it asks for.
        if let unit = office.unit { sql += " AND l.lead_unit = \(bind(unit))" }
        if let status = filter.status { sql += " AND l.status = \(bind(status.rawValue))" }
        if let overdue = filter.overdue { sql += " AND \(isOverdue) = \(bind(overdue))" }
        if let after = filter.after { sql += " AND l.task > \(bind(after))" }
        sql += " ORDER BY l.task LIMIT \(bind(limit + 1))"
        let rows = try await pool.query(PostgresQuery(sql: sql, binds: binds))
        let count = min(rows.count, limit)
        let next = rows.count > limit ? try rows[limit - 1].decode(String.self, at: 0) : nil
        return Page(json: Self.pageJSON(rows.prefix(count), nextAfter: next), count: count, nextAfter: next)
    }

    /// `{"next_after":…,"tasks":[…]}` around the rows' JSON objects (column 1), keys in sorted
    /// order like the other answers.
    static func pageJSON(_ rows: some Collection<PostgresRow>, nextAfter: String?) -> [UInt8] {
        var json: [UInt8] = []
        json.reserveCapacity(rows.count * 512 + 64)
        json.append(contentsOf: #"{"next_after":"#.utf8)
        json.append(contentsOf: (nextAfter.map(JSONObjectText.quoted) ?? "null").utf8)
        json.append(contentsOf: #","tasks":["#.utf8)
        for (position, row) in rows.enumerated() {
            if position > 0 { json.append(UInt8(ascii: ",")) }
            row.withUnsafeText(at: 1) { text in
                if let text { json.append(contentsOf: text) } else { json.append(contentsOf: "null".utf8) }
            }
        }
        json.append(contentsOf: "]}".utf8)
        return json
    }

    /// One task with its history, oldest change first.
    ///
    /// - Throws: ``ProgressError`` `not_found`, or `out_of_scope` when the office may not see it.
    public func task(_ id: String, by office: Office) async throws -> (task: Summary, history: [TaskHistory.Entry]) {
        try await task(id, region: office.region, unit: office.unit, unrestricted: office.isOps, name: office.name)
    }

    /// One task with its history, for the command line, which sees every task.
    ///
    /// - Throws: ``ProgressError`` `not_found`.
    public func task(_ id: String) async throws -> (task: Summary, history: [TaskHistory.Entry]) {
        try await task(id, region: nil, unit: nil, unrestricted: true, name: "")
    }

    private func task(
        _ id: String, region: String?, unit: String?, unrestricted: Bool, name: String
    ) async throws -> (task: Summary, history: [TaskHistory.Entry]) {
        let today = Day(containing: Date(), in: timeZone).description
        return try await pool.transaction { connection in
            let rows = try await connection.query("""
                SELECT t.id, t.title, t.round, t.category, t.region, tr.name, t.lead_unit, u.name, t.deadline::text, t.status,
                       t.progress, t.closed_on::text,
                       t.status IN ('not_started', 'in_progress') AND t.deadline < \(today)::date,
                       EXISTS (SELECT FROM rectify_unit_scope s WHERE s.unit = t.lead_unit AND s.region = \(region)::text)
                           OR (t.lead_unit = \(unit)::text) IS TRUE
                FROM rectify_tasks t
                JOIN rectify_units u ON u.id = t.lead_unit
                JOIN rectify_regions tr ON tr.code = t.region
                WHERE t.id = \(id)
                """)
            guard let row = rows.first else { throw ProgressError(.notFound, "no task \(id)") }
            guard try row.decode(Bool.self, at: 13) || unrestricted else {
                throw ProgressError(.outOfScope, "task \(id) is outside \(name)'s region")
            }
            let history = try await TaskHistory.entries(task: id, on: connection)
            return (try Self.summary(row), history)
        }
    }

    private static func summary(_ row: PostgresRow) throws -> Summary {
        Summary(
            id: try row.decode(at: 0), title: try row.decode(at: 1), round: try row.decode(at: 2), category: try row.decode(at: 3),
            region: try row.decode(at: 4), regionName: try row.decode(at: 5), leadUnit: try row.decode(at: 6),
            leadUnitName: try row.decode(at: 7), deadline: try row.decode(at: 8), status: try row.decode(at: 9),
            progress: try row.decode(at: 10), closedOn: try row.decode(at: 11), overdue: try row.decode(at: 12))
    }
}
