import RectifyPostgres

/// Large merges check a table's foreign keys once, set-based, instead of once per row.
///
/// A per-row check costs a lookup and a row lock on the referenced table; for a million
/// petitions that is most of the import. Like a restore, a large merge drops the table's
/// foreign keys inside the import's transaction and adds them back after, which validates
/// every row in one pass. The table is locked against readers until the import commits.
/// If a reference were broken, adding the key back fails and the whole import rolls back.
enum BulkForeignKeys {
    /// Staged rows from which a merge is treated as bulk.
    static let threshold = 50_000

    /// Runs `merge` on `table`; when `rows` reaches the threshold, with the table's foreign
    /// keys dropped before and added back (and so validated) after.
    static func merging<Value>(
        _ table: String, rows: Int, on connection: isolated PostgresConnection, _ merge: () async throws -> Value
    ) async throws -> Value {
        guard rows >= threshold else { return try await merge() }
        let keys = try await connection.query("""
            SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid = \(table)::regclass AND contype = 'f' ORDER BY conname
            """).map { try $0.decode((String, String).self) }
        guard !keys.isEmpty else { return try await merge() }
        let name = { (key: (String, String)) in "\"\(key.0.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\""))\"" }
        try await connection.execute(script: "ALTER TABLE \(table) " + keys.map { "DROP CONSTRAINT \(name($0))" }.joined(separator: ", "))
        let value = try await merge()
        try await connection.execute(script: "ALTER TABLE \(table) " + keys.map { "ADD CONSTRAINT \(name($0)) \($0.1)" }.joined(separator: ", "))
        return value
    }
}
