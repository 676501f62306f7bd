import RectifyDomain
import RectifyPostgres

/// Where a task stands, as the rules about changing it need to know: its status and progress,
/// the progress the province last accepted, and whether an office's region covers it.
struct TaskState: Sendable {
    var id: String
    var status: TaskStatus
    var progress: Int
    /// The progress the province last accepted (0 when it never did); a task imported as
    /// accepted or closed counts its progress as accepted.
    var acceptedProgress: Int
    /// Whether the lead unit's region is the office's region or lies below it.
    var inScope: Bool

    /// The SQL that reads a task's state; `$1` is the task id, `$2` the office's region (or NULL).
    static func select(lock: Bool) -> String {
        """
        SELECT t.id, t.status, t.progress,
               CASE WHEN t.status IN ('accepted', 'closed') THEN t.progress
                    ELSE coalesce((SELECT h.new_progress FROM rectify_task_history h
                                   WHERE h.task = t.id AND h.source = 'acceptance' ORDER BY h.id DESC LIMIT 1), 0) END,
               coalesce($2::text IN (u.region, r.parent, p.parent), false)
        FROM rectify_tasks t
        JOIN rectify_units u ON u.id = t.lead_unit
        JOIN rectify_regions r ON r.code = u.region
        LEFT JOIN rectify_regions p ON p.code = r.parent
        WHERE t.id = $1
        \(lock ? "FOR UPDATE OF t" : "")
        """
    }

    static func decode(_ row: PostgresRow) throws -> TaskState {
        let (id, status, progress, accepted, inScope) = try row.decode((String, String, Int, Int, Bool).self)
        return TaskState(
            id: id, status: TaskStatus(rawValue: status) ?? .notStarted, progress: progress, acceptedProgress: accepted,
            inScope: inScope)
    }

    /// The task's state, or `nil` when no task has that id.
    static func load(_ task: String, officeRegion: String?, pool: PostgresPool) async throws -> TaskState? {
        try await pool.query(PostgresQuery(sql: select(lock: false), binds: [task, officeRegion])).first.map(decode)
    }

    /// The task's state, locked for update in the caller's transaction.
    static func lock(_ task: String, officeRegion: String?, on connection: isolated PostgresConnection) async throws -> TaskState? {
        try await connection.query(PostgresQuery(sql: select(lock: true), binds: [task, officeRegion])).first.map(decode)
    }
}
