extension Migrator {
    /// The newest applied migration of each component, or `nil` when the database was never
    /// migrated (it has no `rectify_schema_migrations` table).
    public static func appliedVersions(_ pool: PostgresPool) async throws -> [String: Int]? {
        let present = try await pool.query("SELECT to_regclass('rectify_schema_migrations') IS NOT NULL")[0].decode(Bool.self, at: 0)
        guard present else { return nil }
        let rows = try await pool.query("SELECT component, max(version) FROM rectify_schema_migrations GROUP BY component")
        return Dictionary(uniqueKeysWithValues: try rows.map { try $0.decode((String, Int).self) })
    }
}
