import Foundation
public import RectifyDomain
public import RectifyLedger
public import RectifyPostgres

/// A deadline extension (延期): the province moves an open task's deadline later, for a reason
/// it states. The task takes the new deadline and its history keeps the old one, who decided
/// and why, in the same transaction.
public enum DeadlineExtension {
    /// Why an extension was refused; nothing is written then.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong, naming the task and the field.
        public var message: String
        public var description: String { message }
    }

    /// The latest extension of every extended task as a SQL relation `(task, original_deadline,
    /// extended_to, reason)`, for reports to join: the history is this module's to read.
    public static let latestSQL = """
        SELECT task, min(old_deadline) AS original_deadline,
               (array_agg(new_deadline ORDER BY id DESC))[1] AS extended_to, (array_agg(note ORDER BY id DESC))[1] AS reason
        FROM rectify_task_history WHERE source = 'extension' GROUP BY task
        """

    /// Extends `task`'s deadline to `newDeadline` on the caller's connection and transaction.
    ///
    /// - Parameters:
    ///   - by: who decided, e.g. the provincial office's name.
    ///   - reference: the decision's document number, if any.
    /// - Returns: the change as the history keeps it.
    /// - Throws: ``Refusal`` for an unknown task, a task already accepted or closed, a deadline
    ///   not later than the current one, or an empty reason.
    @discardableResult
    public static func extend(
        task: String, to newDeadline: Day, reason: String, by: String, reference: String? = nil,
        on connection: isolated PostgresConnection
    ) async throws -> TaskChange {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Refusal(message: "task \(task): reason: an extension needs the reason for it")
        }
        guard !by.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Refusal(message: "task \(task): by: an extension needs who decided it")
        }
        let rows = try await TaskState.lockingTasks(
            "SELECT status, deadline::text FROM rectify_tasks WHERE id = \(task) FOR NO KEY UPDATE", on: connection)
        guard let row = rows.first else { throw Refusal(message: "task \(task): no such task") }
        let (statusText, deadlineText) = try row.decode((String, String).self)
        let status = TaskStatus(rawValue: statusText)!
        let current = Day(deadlineText)!
        guard !status.isDone else {
            throw Refusal(message: "task \(task): status: the task is already \(status.rawValue); its deadline is not extended")
        }
        guard newDeadline > current else {
            throw Refusal(message: "task \(task): deadline: \(newDeadline) is not later than the current deadline \(current)")
        }
        try await connection.query("UPDATE rectify_tasks SET deadline = \(newDeadline.description)::date WHERE id = \(task)")
        let change = TaskChange(
            task: task, source: .deadlineExtension, actor: by, reference: reference, note: reason, deadline: (current, newDeadline))
        try await TaskHistory.record(change, on: connection)
        return change
    }
}
