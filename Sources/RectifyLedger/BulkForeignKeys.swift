import RectifyPostgres

/// A bulk import checks the ledger's foreign keys once, set-based, instead of once per row.
///
/// A per-row check costs a lookup and a row lock on the referenced table; for a million
/// petitions that was most of the import. Like a restore, a bulk import drops the ledger
/// tables' foreign keys inside its transaction and adds them back at the end, which validates
/// every row in one pass. The tables are locked against readers until the import commits. If a
/// reference were broken, adding the key back fails and the whole import rolls back.
struct BulkForeignKeys {
    private let keys: [(table: String, name: String, definition: String)]

    /// Drops the foreign keys of the ledger's tables and returns them, to be restored.
    static func drop(on connection: isolated PostgresConnection) async throws -> BulkForeignKeys {
        let keys = try await connection.query("""
            SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid = ANY(\(LedgerTables.all)::regclass[]) AND contype = 'f' ORDER BY 1, 2
            """).map { try $0.decode((String, String, String).self) }
        try await connection.execute(script: keys.map { "ALTER TABLE \($0.0) DROP CONSTRAINT \($0.1);" }.joined(separator: "\n"))
        return BulkForeignKeys(keys: keys.map { (table: $0.0, name: $0.1, definition: $0.2) })
    }

    /// Adds the keys back, validating every row.
    func restore(on connection: isolated PostgresConnection) async throws {
        try await connection.execute(script: keys.map { "ALTER TABLE \($0.table) ADD CONSTRAINT \($0.name) \($0.definition);" }.joined(separator: "\n"))
    }
}
