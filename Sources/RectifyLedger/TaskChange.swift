public import RectifyDomain

/// One change to a task, as its history keeps it: what changed, from what to what, who made the
/// change, through what, and why. Fields that did not change are `nil` on both sides, except
/// that an acceptance records the progress it accepted on both sides: the floor below which
/// later submissions may not go.
public struct TaskChange: Sendable, Hashable {
    /// What made a change.
    public enum Source: String, Sendable, CaseIterable {
        /// An office's progress submission, applied by its job.
        case submission
        /// The province accepted the work (验收), opening the public notice.
        case acceptance
        /// The province rejected the work; the task goes back to `in_progress`.
        case rejection
        /// An objection during the public notice sent the task back to `in_progress`.
        case objection
        /// The public notice ended with no objection and the task was closed (销号).
        case publicNotice = "public_notice"
        /// The province extended the deadline (延期).
        case deadlineExtension = "extension"
        /// A ledger import overwrote the task's values.
        case `import`
    }

    /// The task's id.
    public var task: String
    public var source: Source
    /// An office's name and id, the province's decision maker, or the imported file's name.
    public var actor: String
    /// The submission id, decision id or imported file's sha256 that this change came from.
    public var reference: String?
    /// Why: a rejection's note, an objection's reason, an extension's reason.
    public var note: String
    public var status: (old: TaskStatus?, new: TaskStatus?)
    public var progress: (old: Int?, new: Int?)
    public var deadline: (old: Day?, new: Day?)

    /// Creates a change; leave out what did not change.
    public init(
        task: String, source: Source, actor: String, reference: String? = nil, note: String = "",
        status: (old: TaskStatus?, new: TaskStatus?) = (nil, nil),
        progress: (old: Int?, new: Int?) = (nil, nil),
        deadline: (old: Day?, new: Day?) = (nil, nil)
    ) {
        self.task = task
        self.source = source
        self.actor = actor
        self.reference = reference
        self.note = note
        self.status = status
        self.progress = progress
        self.deadline = deadline
    }

    public static func == (lhs: TaskChange, rhs: TaskChange) -> Bool {
        lhs.task == rhs.task && lhs.source == rhs.source && lhs.actor == rhs.actor && lhs.reference == rhs.reference
            && lhs.note == rhs.note && lhs.status == rhs.status && lhs.progress == rhs.progress
            && lhs.deadline == rhs.deadline
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(task)
        hasher.combine(source)
        hasher.combine(reference)
    }
}
