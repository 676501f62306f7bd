public import Logging
import RectifyPostgres

/// What a handler knows about the job it runs.
public struct JobContext: Sendable {
    /// The claimed job: id, kind, queue, attempt, arguments.
    public let job: ClaimedJob
    /// The worker process running the job.
    public let workerID: String
    /// The worker's logger, without the job's metadata.
    private let workerLogger: Logger

    package init(job: ClaimedJob, workerLogger: Logger, workerID: String) {
        self.job = job
        self.workerLogger = workerLogger
        self.workerID = workerID
    }

    /// A logger carrying the job's id, kind, queue, attempt and the worker id. It is made when
    /// asked for, since most jobs never log and a log handler may format its metadata each time
    /// it changes (swift-log's stream handler does).
    public var logger: Logger {
        var logger = workerLogger
        logger.handler.metadata.merge([
            LogMetadataKey.jobID: .stringConvertible(job.id),
            LogMetadataKey.jobKind: .string(job.kind),
            LogMetadataKey.queue: .string(job.queue),
            LogMetadataKey.attempt: .stringConvertible(job.attempt),
        ]) { _, job in job }
        return logger
    }
}

/// Thrown by a handler to end an attempt in a way other than success or failure.
public enum JobControl: Error, Sendable {
    /// Run again after `delay`, without spending an attempt (waiting on something outside).
    case snooze(Duration)
    /// Stop for good: the job is `cancelled` with this reason and never retried.
    case cancel(reason: String)
}
