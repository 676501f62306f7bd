public import RectifyPostgres
import RectifyDomain

extension TaskHistory {
    /// Records many changes in one statement, on the caller's connection and transaction: what
    /// an import does to the tasks it overwrites.
    public static func record(_ changes: [TaskChange], on connection: isolated PostgresConnection) async throws {
        guard !changes.isEmpty else { return }
        try await connection.query("""
            INSERT INTO rectify_task_history
                (task, source, actor, reference, note, old_status, new_status, old_progress, new_progress,
                 old_deadline, new_deadline)
            SELECT * FROM unnest(
                \(changes.map(\.task))::text[], \(changes.map(\.source.rawValue))::text[], \(changes.map(\.actor))::text[],
                \(changes.map(\.reference))::text[], \(changes.map(\.note))::text[],
                \(changes.map(\.status.old?.rawValue))::text[], \(changes.map(\.status.new?.rawValue))::text[],
                \(changes.map(\.progress.old))::int[], \(changes.map(\.progress.new))::int[],
                \(changes.map { $0.deadline.old?.description })::date[], \(changes.map { $0.deadline.new?.description })::date[])
            ORDER BY 1
            """)
    }
}
