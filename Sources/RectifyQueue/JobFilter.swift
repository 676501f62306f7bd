/// Which jobs an operator means: every field given must match; `nil` matches anything.
public struct JobFilter: Sendable, Hashable {
    /// The job's state.
    public var state: JobState?
    /// The job's kind.
    public var kind: String?
    /// The job's queue.
    public var queue: String?

    /// Creates a filter.
    public init(state: JobState? = nil, kind: String? = nil, queue: String? = nil) {
        self.state = state
        self.kind = kind
        self.queue = queue
    }

    /// True when no field is given: the filter matches every job.
    public var isEmpty: Bool { state == nil && kind == nil && queue == nil }

    /// The states to look in: the given one, or all.
    var states: [String] { state.map { [$0.rawValue] } ?? JobState.allCases.map(\.rawValue) }
}
