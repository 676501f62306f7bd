/// Where a job is in its life.
///
/// `available → running → completed`, with `scheduled` before a future `run_at`, `retryable`
/// while waiting out a backoff, and `discarded` or `cancelled` as the other ends.
public enum JobState: String, Sendable, CaseIterable, Codable, Comparable {
    /// Ready to be claimed now.
    case available
    /// Waiting for its `run_at`.
    case scheduled
    /// Claimed by a worker holding its lease.
    case running
    /// Failed an attempt; waiting for its backoff before it becomes available again.
    case retryable
    /// Finished successfully.
    case completed
    /// Gave up: attempts exhausted, arguments undecodable, or discarded by an operator.
    case discarded
    /// Cancelled by its handler or an operator; will not run.
    case cancelled

    /// True for the states that never change again without an operator.
    public var isFinished: Bool { self == .completed || self == .discarded || self == .cancelled }

    public static func < (lhs: JobState, rhs: JobState) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
