import RectifyDomain
import RectifyPostgres

/// Temporary tables (dropped at commit) that hold a file's records on their way into the
/// ledger, one per ledger table, each top-level row with its index in the file's array
/// (`file_index`).
///
/// Batches go in with COPY as the file is read, so the checks across records and the merge
/// into the ledger run set-based in the database, never over the whole file in memory.
struct LedgerStaging {
    /// The staging table of a ledger table.
    static func staged(_ table: String) -> String { "staged_\(table)" }

    /// Records staged per array, in the order references require.
    private(set) var counts: [(array: String, count: Int)] = LedgerReader.arrays.map { ($0, 0) }

    /// Records staged from `array`.
    func count(of array: String) -> Int { counts.first { $0.array == array }?.count ?? 0 }

    /// Creates the staging tables on `connection`, inside the import's transaction.
    static func create(on connection: isolated PostgresConnection) async throws -> LedgerStaging {
        var script = ""
        for table in LedgerTables.topLevel {
            script += "CREATE TEMP TABLE \(staged(table)) (LIKE \(table), file_index integer NOT NULL) ON COMMIT DROP;\n"
        }
        for table in LedgerTables.children {
            script += "CREATE TEMP TABLE \(staged(table)) (LIKE \(table)) ON COMMIT DROP;\n"
        }
        try await connection.execute(script: script)
        return LedgerStaging()
    }

    /// Copies one batch into the staging table(s) of its array.
    mutating func stage(_ batch: LedgerBatch, on connection: isolated PostgresConnection) async throws {
        let first = batch.firstIndex
        switch batch.records {
        case .regions(let records): try await copy(records, first, LedgerTables.regions, on: connection)
        case .units(let records): try await copy(records, first, LedgerTables.units, on: connection)
        case .rounds(let records): try await copy(records, first, LedgerTables.rounds, on: connection)
        case .tasks(let records): try await copy(records, first, LedgerTables.tasks, on: connection)
        case .petitions(let records): try await copy(records, first, LedgerTables.petitions, on: connection)
        case .accountability(let records):
            try await copy(records, first, LedgerTables.cases, on: connection)
            let units = records.flatMap { item in item.units.enumerated().map { (item.id, $0.offset, $0.element) } }
            let persons = records.flatMap { item in item.persons.enumerated().map { (item.id, $0.offset, $0.element) } }
            try await copyChildren(units, LedgerTables.caseUnits, on: connection)
            try await copyChildren(persons, LedgerTables.casePersons, on: connection)
        }
        let slot = counts.firstIndex { $0.array == batch.array }!
        counts[slot].count += batch.count
    }

    private func copy<Record>(
        _ records: [Record], _ firstIndex: Int, _ table: LedgerTable<Record>, on connection: isolated PostgresConnection
    ) async throws {
        let values = records.enumerated().map { table.values($0.element) + [String(firstIndex + $0.offset)] }
        try await connection.copy(into: Self.staged(table.name), columns: table.columns + ["file_index"], rows: values)
    }

    private func copyChildren<Record>(
        _ records: [Record], _ table: LedgerTable<Record>, on connection: isolated PostgresConnection
    ) async throws {
        guard !records.isEmpty else { return }
        try await connection.copy(into: Self.staged(table.name), columns: table.columns, rows: records.map(table.values))
    }
}
