public import RectifyPostgres

/// Read-only questions about the imported ledger, for modules that do not own its tables.
public struct LedgerDirectory: Sendable {
    /// A region of the ledger.
    public struct Region: Sendable, Hashable {
        /// The six-digit administrative code.
        public var code: String
        public var name: String
        /// `province`, `city` or `county`.
        public var level: String
    }

    private let pool: PostgresPool

    /// A directory on a pool.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Every region, by code.
    public func regions() async throws -> [Region] {
        try await pool.query("SELECT code, name, level FROM rectify_regions ORDER BY code").map { row in
            let (code, name, level) = try row.decode((String, String, String).self)
            return Region(code: code, name: name, level: level)
        }
    }

    /// The titles of the tasks with these ids (unknown ids are left out).
    public func taskTitles(_ ids: Set<String>) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        var titles: [String: String] = [:]
        for row in try await pool.query("SELECT id, title FROM rectify_tasks WHERE id = ANY(\(Array(ids))::text[])") {
            let (id, title) = try row.decode((String, String).self)
            titles[id] = title
        }
        return titles
    }

    /// How many tasks the ledger holds.
    public func taskCount() async throws -> Int {
        try await pool.query("SELECT count(*) FROM rectify_tasks")[0].decode(Int.self, at: 0)
    }
}
