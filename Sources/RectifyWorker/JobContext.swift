public import Logging
public import RectifyQueue

/// What a handler knows about the job it runs.
public struct JobContext: Sendable {
    /// The claimed job: id, kind, queue, attempt, arguments.
    public let job: ClaimedJob
    /// A logger carrying the job's id, kind, queue, attempt and the worker id.
    public let logger: Logger
    /// The worker process running the job.
    public let workerID: String
}

/// Thrown by a handler to end an attempt in a way other than success or failure.
public enum JobControl: Error, Sendable {
    /// Run again after `delay`, without spending an attempt (waiting on something outside).
    case snooze(Duration)
    /// Stop for good: the job is `cancelled` with this reason and never retried.
    case cancel(reason: String)
}
