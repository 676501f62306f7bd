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
        guard let state = try await TaskState.lock(task, officeRegion: nil, on: connection) else {
            throw Refusal(message: "task \(task): no such task")
        }
        let (status, current) = (state.status, state.deadline)
        guard !status.isDone else {
            throw Refusal(message: "task \(task): status: the task is already \(status.rawValue); its deadline is not extended")
        }
        guard newDeadline > current else {
            throw Refusal(message: "task \(task): deadline: \(newDeadline) is not later than the current deadline \(current)")
        }
        let change = TaskChange(
            task: task, source: .deadlineExtension, actor: by, reference: reference, note: reason, deadline: (current, newDeadline))
        try await TaskHistory.apply(change, on: connection)
        return change
    }
}
