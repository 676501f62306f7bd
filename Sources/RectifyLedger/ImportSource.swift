import RectifyDomain
import RectifyPostgres

/// Where an import's records come from, as the history of the tasks it changes names it.
struct ImportSource {
    /// The file's name.
    let name: String
    /// The file's SHA-256, asked for only when some task changed, after the whole file was
    /// read; `nil` for a ledger in memory.
    let digest: () -> String?

    /// The staged tasks whose status, progress or deadline differ from the ledger's, as history
    /// entries with only what changed.
    func taskChanges(on connection: isolated PostgresConnection) async throws -> [TaskChange] {
        let rows = try await connection.query("""
            SELECT s.id, t.status, s.status, t.progress, s.progress, t.deadline::text, s.deadline::text
            FROM \(unescaped: LedgerStaging.staged(LedgerTables.tasks.name)) AS s JOIN rectify_tasks AS t ON t.id = s.id
            WHERE (t.status, t.progress, t.deadline) IS DISTINCT FROM (s.status, s.progress, s.deadline)
            ORDER BY s.id
            """)
        guard !rows.isEmpty else { return [] }
        let reference = digest()
        return try rows.map { row in
            let (id, oldStatus, newStatus, oldProgress, newProgress, oldDeadline, newDeadline)
                = try row.decode((String, String, String, Int, Int, String, String).self)
            return TaskChange(
                task: id, source: .import, actor: name, reference: reference,
                status: oldStatus == newStatus ? (nil, nil) : (TaskStatus(rawValue: oldStatus), TaskStatus(rawValue: newStatus)),
                progress: oldProgress == newProgress ? (nil, nil) : (oldProgress, newProgress),
                deadline: oldDeadline == newDeadline ? (nil, nil) : (Day(oldDeadline), Day(newDeadline)))
        }
    }
}
