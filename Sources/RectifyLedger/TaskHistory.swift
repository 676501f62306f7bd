public import Foundation
public import RectifyDomain
public import RectifyPostgres

/// The history of every change to a task (`rectify_task_history`), which the ledger owns, and
/// the one way to change a task after its import (``apply(_:closedOn:on:)``).
///
/// Changes are recorded on the caller's connection, inside the transaction that makes them, so a
/// task never changes without a trace and a trace never outlives a rolled-back change.
public enum TaskHistory {
    /// A change as it was recorded.
    public struct Entry: Sendable, Hashable {
        /// The history row's id; later changes have larger ids.
        public var id: Int64
        public var change: TaskChange
        public var changedAt: Date
    }

    /// Records `change` on `connection`, in the caller's transaction.
    ///
    /// - Returns: the history row's id.
    @discardableResult
    public static func record(_ change: TaskChange, on connection: isolated PostgresConnection) async throws -> Int64 {
        try await connection.query(insert(change))[0].decode(Int64.self, at: 0)
    }

    private static func insert(_ change: TaskChange) -> PostgresQuery {
        """
            INSERT INTO rectify_task_history
                (task, source, actor, reference, note, old_status, new_status, old_progress, new_progress,
                 old_deadline, new_deadline)
            VALUES (\(change.task), \(change.source.rawValue), \(change.actor), \(change.reference), \(change.note),
                    \(change.status.old?.rawValue), \(change.status.new?.rawValue),
                    \(change.progress.old), \(change.progress.new),
                    \(change.deadline.old?.description)::date, \(change.deadline.new?.description)::date)
            RETURNING id
            """
    }

    /// Makes `change` to its task and keeps it in the task's history, in the caller's
    /// transaction and one round trip: the one way anything but a ledger import changes a task.
    /// Lock the task first (``TaskState``'s `lock`), which also orders the change after a
    /// running import.
    ///
    /// - Parameter closedOn: the day the task closes, for a change to `closed`.
    /// - Returns: the history entry's id.
    @discardableResult
    public static func apply(_ change: TaskChange, closedOn: Day? = nil, on connection: isolated PostgresConnection) async throws -> Int64 {
        let update: PostgresQuery = """
            UPDATE rectify_tasks
            SET status = coalesce(\(change.status.new?.rawValue), status), progress = coalesce(\(change.progress.new), progress),
                deadline = coalesce(\(change.deadline.new?.description)::date, deadline),
                closed_on = coalesce(\(closedOn?.description)::date, closed_on)
            WHERE id = \(change.task)
            """
        return try await connection.pipeline([update, insert(change)])[1][0].decode(Int64.self, at: 0)
    }

    /// The id of the task's latest change of status, if it ever had one.
    public static func latestStatusChange(task: String, on connection: isolated PostgresConnection) async throws -> Int64? {
        try await connection.query("""
            SELECT id FROM rectify_task_history WHERE task = \(task) AND new_status IS NOT NULL ORDER BY id DESC LIMIT 1
            """).first?.decode(Int64.self, at: 0)
    }

    /// When the history entry `id` was recorded.
    public static func changedAt(_ id: Int64, on connection: isolated PostgresConnection) async throws -> Date? {
        try await connection.query("SELECT changed_at FROM rectify_task_history WHERE id = \(id)").first?.decode(Date.self, at: 0)
    }

    /// The region of the lead unit of `task`, if the task exists.
    public static func leadUnitRegion(task: String, on connection: isolated PostgresConnection) async throws -> String? {
        try await connection.query("""
            SELECT u.region FROM rectify_tasks t JOIN rectify_units u ON u.id = t.lead_unit WHERE t.id = \(task)
            """).first?.decode(String.self, at: 0)
    }

    /// A task's history, oldest first.
    public static func entries(task: String, on connection: isolated PostgresConnection) async throws -> [Entry] {
        let rows = try await connection.query("""
            SELECT id, changed_at, source, actor, reference, note, old_status, new_status,
                   old_progress, new_progress, old_deadline::text, new_deadline::text
            FROM rectify_task_history WHERE task = \(task) ORDER BY id
            """)
        return try rows.map { row in
            let change = TaskChange(
                task: task,
                source: TaskChange.Source(rawValue: try row.decode(String.self, at: 2)) ?? .import,
                actor: try row.decode(String.self, at: 3),
                reference: try row.decode(String?.self, at: 4),
                note: try row.decode(String.self, at: 5),
                status: (try row.decode(String?.self, at: 6).flatMap(TaskStatus.init(rawValue:)),
                         try row.decode(String?.self, at: 7).flatMap(TaskStatus.init(rawValue:))),
                progress: (try row.decode(Int?.self, at: 8), try row.decode(Int?.self, at: 9)),
                deadline: (try row.decode(String?.self, at: 10).flatMap(Day.init),
                           try row.decode(String?.self, at: 11).flatMap(Day.init)))
            return Entry(id: try row.decode(Int64.self, at: 0), change: change, changedAt: try row.decode(Date.self, at: 1))
        }
    }
}
