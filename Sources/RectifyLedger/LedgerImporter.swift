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

/// How far an import has got, for a progress display.
public enum ImportProgress: Sendable {
    /// Reading and staging the file: records so far, bytes read and the file's size.
    case reading(records: Int, bytesRead: Int, totalBytes: Int?)
    /// Checking ids and references across the staged file.
    case checking
    /// Merging one array into the ledger.
    case merging(array: String)
}

/// Loads a ledger into the database in one transaction, all of it or, on any error, none of it.
///
/// Records stream from the reader into staging tables with COPY, the rules across records run
/// set-based on the staged file, and each array is merged by id. A record whose values did not
/// change is not rewritten, so importing the same file twice changes nothing the second time.
public struct LedgerImporter: Sendable {
    private let pool: PostgresPool
    private let logger: Logger

    /// Creates an importer on a pool.
    public init(pool: PostgresPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    /// Imports the file at `path`. The file is read on the connection's own thread, a batch at a
    /// time, while the database loads the batch before.
    ///
    /// - Throws: ``LedgerError`` naming the first problem; nothing is written then.
    public func importFile(
        at path: String, progress: @escaping @Sendable (ImportProgress) -> Void = { _ in }
    ) async throws -> ImportSummary {
        try await pool.transaction { connection in
            var reader = try LedgerReader(contentsOf: path)
            return try await Self.load(from: { () throws(LedgerError) in
                let batch = try reader.next()
                progress(.reading(records: reader.recordsRead, bytesRead: reader.bytesRead, totalBytes: reader.totalBytes))
                return batch
            }, progress: progress, on: connection)
        }
    }

    /// Imports a ledger held in memory (the demo province, tests).
    ///
    /// - Throws: ``LedgerError`` naming the first problem; nothing is written then.
    public func importLedger(_ ledger: Ledger) async throws -> ImportSummary {
        try await pool.transaction { connection in
            var batches = ledger.batches.makeIterator()
            return try await Self.load(from: { batches.next() }, progress: { _ in }, on: connection)
        }
    }

    /// Stages every batch `next` returns, checks the rules across records and merges.
    private static func load(
        from next: () throws -> LedgerBatch?, progress: (ImportProgress) -> Void, on connection: isolated PostgresConnection
    ) async throws -> ImportSummary {
        // Room to sort a large file's rows into key order in memory before merging them.
        try await connection.execute(script: "SET LOCAL work_mem = '128MB'")
        var staging = try await LedgerStaging.create(on: connection)
        while let batch = try next() {
            try await staging.stage(batch, on: connection)
        }
        try await connection.execute(script: (LedgerTables.topLevel + LedgerTables.children).map { "ANALYZE \(LedgerStaging.staged($0));" }.joined(separator: "\n"))
        progress(.checking)
        try await LedgerChecks.run(on: connection)
        var summary = ImportSummary()
        func step(_ array: String, _ merge: (Int) async throws -> ImportSummary.Counts) async throws {
            progress(.merging(array: array))
            summary.arrays.append((array, try await merge(staging.count(of: array))))
        }
        try await step("regions") { try await merge($0, into: LedgerTables.regions, on: connection) }
        try await step("units") { try await merge($0, into: LedgerTables.units, on: connection) }
        try await step("rounds") { try await merge($0, into: LedgerTables.rounds, on: connection) }
        try await step("tasks") { try await merge($0, into: LedgerTables.tasks, on: connection) }
        try await step("petitions") { try await merge($0, into: LedgerTables.petitions, on: connection) }
        try await step("accountability") { try await mergeCases($0, on: connection) }
        // Fresh statistics, so the report queries plan well on the new data at once.
        for (array, counts) in summary.arrays where counts.inserted + counts.updated > 0 {
            let tables = array == "accountability"
                ? [LedgerTables.cases.name] + LedgerTables.children
                : [LedgerTables.topLevel[LedgerReader.arrays.firstIndex(of: array)!]]
            try await connection.execute(script: tables.map { "ANALYZE \($0);" }.joined())
        }
        return summary
    }

    /// Merges a staged top-level table into the ledger; returns the counts.
    private static func merge<Record>(
        _ staged: Int, into table: LedgerTable<Record>, on connection: isolated PostgresConnection
    ) async throws -> ImportSummary.Counts {
        guard staged > 0 else { return ImportSummary.Counts() }
        let row = try await BulkForeignKeys.merging(table.name, rows: staged, on: connection) {
            try await connection.query("""
                WITH merged AS (\(unescaped: upsert(table)) RETURNING (xmax = 0) AS inserted)
                SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM merged
                """)[0]
        }
        let (inserted, updated) = try row.decode((Int, Int).self)
        return ImportSummary.Counts(inserted: inserted, updated: updated, unchanged: staged - inserted - updated)
    }

    /// Merges the staged accountability cases with their units and persons. A case counts as
    /// updated when its own row or any of its units or persons changed.
    private static func mergeCases(_ staged: Int, on connection: isolated PostgresConnection) async throws -> ImportSummary.Counts {
        guard staged > 0 else { return ImportSummary.Counts() }
        var inserted: Set<String> = []
        var changed: Set<String> = []
        let cases = try await BulkForeignKeys.merging(LedgerTables.cases.name, rows: staged, on: connection) {
            try await connection.query("\(unescaped: upsert(LedgerTables.cases)) RETURNING t.id, (xmax = 0)")
        }
        for row in cases {
            let (id, isNew) = try row.decode((String, Bool).self)
            if isNew { inserted.insert(id) } else { changed.insert(id) }
        }
        for (child, merge) in [
            (LedgerTables.caseUnits.name, upsert(LedgerTables.caseUnits)), (LedgerTables.casePersons.name, upsert(LedgerTables.casePersons)),
        ] {
            let staged = LedgerStaging.staged(child)
            let rows = try await connection.query("SELECT count(*) FROM \(unescaped: staged)")[0].decode(Int.self, at: 0)
            let merged = try await BulkForeignKeys.merging(child, rows: rows, on: connection) {
                try await connection.query("\(unescaped: merge) RETURNING t.case_id")
            }
            let removed = try await connection.query("""
                DELETE FROM \(unescaped: child) AS t
                USING \(unescaped: LedgerStaging.staged(LedgerTables.cases.name)) AS c
                WHERE t.case_id = c.id
                  AND NOT EXISTS (SELECT FROM \(unescaped: staged) AS s WHERE s.case_id = t.case_id AND s.ordinal = t.ordinal)
                RETURNING t.case_id
                """)
            for row in merged.rows + removed.rows { changed.insert(try row.decode(String.self, at: 0)) }
        }
        let updated = changed.subtracting(inserted).count
        return ImportSummary.Counts(inserted: inserted.count, updated: updated, unchanged: staged - inserted.count - updated)
    }

    /// `INSERT … SELECT` from the staging table, updating only rows whose values changed.
    private static func upsert<Record>(_ definition: LedgerTable<Record>) -> String {
        let table = definition.name
        let columns = definition.columns.joined(separator: ", ")
        let current = definition.nonKeyColumns.map { "t.\($0)" }.joined(separator: ", ")
        let incoming = definition.nonKeyColumns.map { "EXCLUDED.\($0)" }.joined(separator: ", ")
        // Rows go in key order, which keeps index inserts local; ids are codes, so a byte-order
        // sort gives that order without the cost of the locale's collation.
        let order = (["\(definition.key[0]) COLLATE \"C\""] + definition.key.dropFirst()).joined(separator: ", ")
        let assignments = definition.nonKeyColumns.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
        return """
            INSERT INTO \(table) AS t (\(columns))
            SELECT \(columns) FROM \(LedgerStaging.staged(table)) ORDER BY \(order)
            ON CONFLICT (\(definition.key.joined(separator: ", "))) DO UPDATE SET \(assignments)
            WHERE (\(current)) IS DISTINCT FROM (\(incoming))
            """
    }
}
