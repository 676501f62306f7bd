public import Logging
public import RectifyDomain
public import RectifyPostgres

/// What an import changed, per array.
public struct ImportSummary: Sendable, Hashable {
    /// Counts for one array.
    public struct Counts: Sendable, Hashable {
        public var inserted = 0
        public var updated = 0
        public var unchanged = 0

        /// Creates counts.
        public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0) {
            self.inserted = inserted
            self.updated = updated
            self.unchanged = unchanged
        }
    }

    /// Counts by array name (`regions`, `units`, `rounds`, `tasks`, `petitions`, `accountability`).
    public var arrays: [(name: String, counts: Counts)] = []

    public static func == (lhs: ImportSummary, rhs: ImportSummary) -> Bool {
        lhs.arrays.map(\.name) == rhs.arrays.map(\.name) && lhs.arrays.map(\.counts) == rhs.arrays.map(\.counts)
    }

    public func hash(into hasher: inout Hasher) {
        for (name, counts) in arrays {
            hasher.combine(name)
            hasher.combine(counts)
        }
    }

    /// True when the import changed nothing.
    public var changedNothing: Bool { arrays.allSatisfy { $0.counts.inserted == 0 && $0.counts.updated == 0 } }
}

/// Loads a validated ledger into the database in one transaction: each array is copied into a
/// staging table with COPY and merged by id. A record whose values did not change is not
/// rewritten, so importing the same file twice changes nothing the second time.
public struct LedgerImporter: Sendable {
    private let pool: PostgresPool
    private let logger: Logger

    /// Creates an importer on a pool.
    public init(pool: PostgresPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    /// The records already in the database that a file may refer to.
    public func knownRecords() async throws -> KnownRecords {
        try await pool.withConnection { connection in
            var known = KnownRecords()
            for row in try await connection.query("SELECT code, level FROM rectify_regions") {
                let (code, level) = try row.decode((String, String).self)
                known.regionLevels[code] = RegionLevel(rawValue: level)
            }
            known.units = Set(try await connection.query("SELECT id FROM rectify_units").map { try $0.decode(String.self, at: 0) })
            known.rounds = Set(try await connection.query("SELECT id FROM rectify_rounds").map { try $0.decode(String.self, at: 0) })
            return known
        }
    }

    /// Imports `ledger`; all of it or, on any error, none of it.
    ///
    /// - Parameter progress: called after each array with its name and record count.
    public func importLedger(
        _ ledger: Ledger, progress: @escaping @Sendable (String, Int) -> Void = { _, _ in }
    ) async throws -> ImportSummary {
        try await pool.transaction { connection in
            var summary = ImportSummary()
            func step<Record>(_ array: String, _ table: LedgerTable<Record>, _ records: [Record]) async throws {
                summary.arrays.append((array, try await Self.merge(records, into: table, on: connection)))
                progress(array, records.count)
            }
            try await step("regions", LedgerTables.regions, ledger.regions)
            try await step("units", LedgerTables.units, ledger.units)
            try await step("rounds", LedgerTables.rounds, ledger.rounds)
            try await step("tasks", LedgerTables.tasks, ledger.tasks)
            try await step("petitions", LedgerTables.petitions, ledger.petitions)
            // A case counts as updated when its own row or any of its units or persons changed.
            let caseRows = try await Self.mergeKeys(ledger.accountability, into: LedgerTables.cases, on: connection)
            let units = ledger.accountability.flatMap { item in
                item.units.enumerated().map { (caseID: item.id, ordinal: $0.offset, unit: $0.element) }
            }
            let persons = ledger.accountability.flatMap { item in
                item.persons.enumerated().map { (caseID: item.id, ordinal: $0.offset, person: $0.element) }
            }
            let caseIDs = ledger.accountability.map(\.id)
            let touched = try await Self.mergeChildren(units, into: LedgerTables.caseUnits, parents: caseIDs, on: connection)
                .union(Self.mergeChildren(persons, into: LedgerTables.casePersons, parents: caseIDs, on: connection))
            let updated = caseRows.updated.union(touched.subtracting(caseRows.inserted))
            let cases = ImportSummary.Counts(
                inserted: caseRows.inserted.count, updated: updated.count,
                unchanged: ledger.accountability.count - caseRows.inserted.count - updated.count)
            summary.arrays.append(("accountability", cases))
            progress("accountability", ledger.accountability.count)
            return summary
        }
    }

    /// Copies records into a staging table and merges them into `table`; returns the counts.
    private static func merge<Record>(
        _ records: [Record], into table: LedgerTable<Record>, on connection: isolated PostgresConnection
    ) async throws -> ImportSummary.Counts {
        guard !records.isEmpty else { return ImportSummary.Counts() }
        let row = try await connection.query("""
            WITH merged AS (\(unescaped: try await upsert(records, table, on: connection)) RETURNING (xmax = 0) AS inserted)
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM merged
            """)[0]
        let (inserted, updated) = try row.decode((Int, Int).self)
        return ImportSummary.Counts(inserted: inserted, updated: updated, unchanged: records.count - inserted - updated)
    }

    /// Like ``merge(_:into:on:)`` but returns the first key column of the rows inserted and updated.
    private static func mergeKeys<Record>(
        _ records: [Record], into table: LedgerTable<Record>, on connection: isolated PostgresConnection
    ) async throws -> (inserted: Set<String>, updated: Set<String>) {
        guard !records.isEmpty else { return ([], []) }
        let rows = try await connection.query("""
            \(unescaped: try await upsert(records, table, on: connection)) RETURNING t.\(unescaped: table.key[0])::text, (xmax = 0)
            """)
        var inserted: Set<String> = []
        var updated: Set<String> = []
        for row in rows {
            let (key, isNew) = try row.decode((String, Bool).self)
            if isNew { inserted.insert(key) } else { updated.insert(key) }
        }
        return (inserted, updated)
    }

    /// Merges child rows of `parents` and removes the rows the file no longer lists; returns
    /// the parents whose children changed.
    private static func mergeChildren<Record>(
        _ records: [Record], into table: LedgerTable<Record>, parents: [String], on connection: isolated PostgresConnection
    ) async throws -> Set<String> {
        let parentKey = table.parentKey!
        let (inserted, updated) = try await mergeKeys(records, into: table, on: connection)
        let keep = records.map { table.values($0) }
        let removed = try await connection.query("""
            DELETE FROM \(unescaped: table.name) AS t
            WHERE t.\(unescaped: parentKey) = ANY(\(parents))
              AND (t.\(unescaped: table.key[0]), t.\(unescaped: table.key[1])) NOT IN (
                  SELECT * FROM unnest(\(keep.map { $0[0] ?? "" })::text[], \(keep.map { Int($0[1] ?? "") ?? -1 })::int[]))
            RETURNING t.\(unescaped: parentKey)
            """)
        return inserted.union(updated).union(try removed.map { try $0.decode(String.self, at: 0) })
    }

    /// Stages `records` and returns the `INSERT … ON CONFLICT … DO UPDATE … WHERE changed`
    /// statement that merges them, without its RETURNING clause.
    private static func upsert<Record>(
        _ records: [Record], _ table: LedgerTable<Record>, on connection: isolated PostgresConnection
    ) async throws -> String {
        let staged = try await stage(records, table, on: connection)
        let columns = table.columns.joined(separator: ", ")
        let current = table.nonKeyColumns.map { "t.\($0)" }.joined(separator: ", ")
        let incoming = table.nonKeyColumns.map { "EXCLUDED.\($0)" }.joined(separator: ", ")
        let assignments = table.nonKeyColumns.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
        return """
            INSERT INTO \(table.name) AS t (\(columns))
            SELECT \(columns) FROM \(staged)
            ON CONFLICT (\(table.key.joined(separator: ", "))) DO UPDATE SET \(assignments)
            WHERE (\(current)) IS DISTINCT FROM (\(incoming))
            """
    }

    /// Creates a staging table like `table` (dropped at commit) and fills it with COPY.
    private static func stage<Record>(
        _ records: [Record], _ table: LedgerTable<Record>, on connection: isolated PostgresConnection
    ) async throws -> String {
        let staged = "staged_\(table.name)"
        try await connection.execute(script: """
            CREATE TEMP TABLE IF NOT EXISTS \(staged) (LIKE \(table.name)) ON COMMIT DROP;
            TRUNCATE \(staged);
            """)
        let chunk = 50_000
        var start = 0
        while start < records.count {
            let rows = records[start..<min(start + chunk, records.count)].map(table.values)
            try await connection.copy(into: staged, columns: table.columns, rows: rows)
            start += chunk
        }
        return staged
    }
}
