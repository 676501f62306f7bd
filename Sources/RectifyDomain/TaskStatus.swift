/// Where a rectification task (整改任务) stands.
///
/// `not_started → in_progress → pending_acceptance → accepted → closed` (closed = 销号, after
/// acceptance and public notice). A rejected acceptance returns the task to `in_progress`.
/// Only the province accepts or closes.
public enum TaskStatus: String, Sendable, CaseIterable, Codable {
    case notStarted = "not_started"
    case inProgress = "in_progress"
    case pendingAcceptance = "pending_acceptance"
    case accepted
    case closed

    /// Who is changing a task's status.
    public enum Actor: Sendable {
        /// The provincial inspection-rectification office.
        case province
        /// A city or county office reporting on its own tasks.
        case office
    }

    /// Whether `actor` may move a task from this status to `next`. Staying put is always allowed
    /// (a monthly report without a change of status).
    public func allows(_ next: TaskStatus, by actor: Actor) -> Bool {
        if next == self { return true }
        switch (self, next) {
        case (.notStarted, .inProgress), (.inProgress, .pendingAcceptance): return true
        case (.pendingAcceptance, .inProgress), (.pendingAcceptance, .accepted), (.accepted, .closed):
            return actor == .province
        default: return false
        }
    }

    /// True once the province has accepted the work: such tasks are never overdue.
    public var isDone: Bool { self == .accepted || self == .closed }
}
