import Foundation
import Logging
import RectifyPostgres
import RectifyQueue

/// Runs one claimed job and records how it ended.
///
/// Outcomes: success completes the job (batched, or inside the handler's transaction);
/// ``JobControl`` snoozes or cancels; arguments that do not decode discard at once as poison;
/// cancellation at shutdown releases the job; any other error retries with backoff until the
/// attempts are used up. If recording the outcome fails, the lease expires and the rescuer
/// returns the job: nothing is lost.
///
/// The handler is cancelled when its job is stopped (``JobStop``): a lost lease or an
/// operator's discard ends the attempt without recording anything (the job is no longer this
/// worker's), a timeout records a failed attempt.
struct JobExecutor: Sendable {
    /// The worker's own statements about jobs (claims, outcomes), on its reserved connections.
    let queue: JobQueue
    /// Where transactional handlers borrow their connection.
    let handlerPool: PostgresPool
    let registry: JobRegistry
    let completer: CompletionBatcher
    let configuration: WorkerConfiguration
    let workerID: String
    let metrics: WorkerMetrics
    let logger: Logger
    /// True once the shutdown grace period has passed and handlers are being cancelled.
    let isReleasing: @Sendable () -> Bool
    /// Hands a job cancelled at shutdown back to the producer, which returns it to the queue
    /// outside the cancelled task (statements in a cancelled task are refused).
    let releaseLater: @Sendable (JobLease) -> Void

    private struct LeaseLost: Error {}
    /// The job row could not be locked because a heartbeat updated it after the transaction's
    /// snapshot; nothing has run yet, so the transaction is simply begun again.
    private struct LockRaced: Error {}

    /// The attempt timeout that applies to a job: its own, else the configuration's for its
    /// kind, else its kind's registration, else the configuration's default.
    func timeout(for job: ClaimedJob) -> Duration {
        job.timeout ?? configuration.jobTimeouts[job.kind] ?? registry.timeout(for: job.kind) ?? configuration.jobTimeout
    }

    func execute(_ job: ClaimedJob, stop: JobStop) async {
        let context = JobContext(job: job, workerLogger: logger, workerID: workerID)
        let debug = logger.logLevel <= .debug
        let started = ContinuousClock.now
        let kindMetrics = metrics.started(job, waited: .seconds(max(0, Date().timeIntervalSince(job.dueAt))))
        if debug { context.logger.debug("job started") }

        let outcome: String
        let (result, stopped) = await runUnlessStopped(job, context, stop: stop)
        switch result {
        case .success:
            outcome = "completed"
        case .failure(let error):
            switch stopped {
            case .leaseLost?:
                context.logger.warning("job handler cancelled: its lease was taken over")
                outcome = "lease_lost"
            case .discarded?:
                context.logger.warning("job handler cancelled: the job was discarded while it ran")
                outcome = "discarded"
            case .timedOut(let limit)?:
                // Stopping cancelled this task, whose statements would be refused: record from a
                // task of its own.
                let logger = context.logger
                outcome = await Task { await record(JobTimedOut(limit: limit), for: job, logger: logger) }.value
            case nil:
                outcome = await record(error, for: job, logger: context.logger)
            }
        }
        metrics.finished(kindMetrics, outcome: outcome, ran: started.duration(to: .now))
        if debug { context.logger.debug("job finished", metadata: ["outcome": "\(outcome)"]) }
    }

    /// Runs the handler in the calling task, which stopping the job (``JobStop``) cancels until
    /// the handler returns; returns how it ended and why it was stopped, if it was, by then. A
    /// stop after that does not relabel the handler's own error. (A task of its own per job cost
    /// a visible share of a worker's time per job.) Cancelling the caller cancels the handler too.
    private func runUnlessStopped(
        _ job: ClaimedJob, _ context: JobContext, stop: JobStop
    ) async -> (result: Result<Void, any Error>, stopped: StopReason?) {
        withUnsafeCurrentTask { task in
            guard let task else { return }
            let running = RunningTask(task: task)
            stop.arm { running.cancel() }
        }
        let result: Result<Void, any Error>
        do {
            try await run(job, context)
            result = .success(())
        } catch {
            result = .failure(error)
        }
        return (result, stop.disarm())
    }

    private func run(_ job: ClaimedJob, _ context: JobContext) async throws {
        guard let body = registry.body(for: job.kind) else {
            throw UnknownKind(kind: job.kind, known: registry.kinds)
        }
        switch body {
        case .plain(let handler):
            try await handler(job.argsJSON, context)
            completer.complete(job.lease)
        case .transactional(let handler, let isolation):
            let lease = job.lease
            for attempt in 1... {
                do {
                    try await handlerPool.transaction(isolation: isolation) { connection in
                        do {
                            guard try await JobQueue.lock(lease, on: connection) else { throw LeaseLost() }
                        } catch SQLState.serializationFailure where attempt < 5 {
                            throw LockRaced()
                        }
                        try await handler(job.argsJSON, connection, context)
                        guard try await JobQueue.complete(lease, on: connection) else { throw LeaseLost() }
                    }
                    return
                } catch is LockRaced {
                    continue
                }
            }
        }
    }

    /// Records a failed or controlled attempt; returns the metrics outcome.
    private func record(_ error: any Error, for job: ClaimedJob, logger: Logger) async -> String {
        // Cancelled itself, the executor is being stopped with its worker (grace over, or the
        // worker's task cancelled, which reaches the handlers before the producer notices):
        // give the job back rather than count an attempt; a statement here would be refused.
        if Task.isCancelled && !(error is LeaseLost) {
            releaseLater(job.lease)
            return "released"
        }
        do {
            switch error {
            case is LeaseLost:
                logger.warning("job lease was taken over while it ran; its work was rolled back")
                return "lease_lost"
            case JobControl.snooze(let delay):
                return try await queue.snooze(job.lease, for: delay) ? "snoozed" : "lease_lost"
            case JobControl.cancel(let reason):
                let entry = errorRecord(job, "cancelled: \(reason)")
                return try await queue.finish(job.lease, as: .cancelled, error: entry) ? "cancelled" : "lease_lost"
            case let poison as UndecodableArguments:
                logger.error("job discarded: its arguments cannot be decoded", metadata: [LogMetadataKey.error: "\(poison)"])
                return try await queue.finish(job.lease, as: .discarded, error: errorRecord(job, poison.description))
                    ? "discarded" : "lease_lost"
            default:
                let state = try await queue.fail(job, error: errorRecord(job, "\(error)"), retry: registry.retry(for: job.kind) ?? configuration.retry)
                logger.warning("job attempt failed", metadata: [
                    LogMetadataKey.error: "\(error)", "next_state": "\(state?.rawValue ?? "taken over")",
                ])
                return state?.rawValue ?? "lease_lost"
            }
        } catch {
            logger.error("cannot record the job's outcome; its lease will expire and it will be rescued", metadata: [
                LogMetadataKey.error: "\(error)"
            ])
            return "unrecorded"
        }
    }

    private func errorRecord(_ job: ClaimedJob, _ message: String) -> JobErrorRecord {
        JobErrorRecord(attempt: job.attempt, at: Date(), error: message, worker: workerID)
    }
}

/// The attempt ran longer than its timeout; its handler was cancelled.
struct JobTimedOut: Error, CustomStringConvertible {
    var limit: Duration
    var description: String { "timed out after \(limit); the handler was cancelled" }
}

/// The task running a handler, held by its job's stop request to cancel it from another
/// thread. The reference does not keep the task alive; what makes it safe is that the request
/// cancels only under its lock and drops the reference in ``JobStop/disarm()``, which the task
/// itself calls, under that lock, before it ends. `cancel()` is safe from any thread.
private struct RunningTask: @unchecked Sendable {
    let task: UnsafeCurrentTask

    func cancel() { task.cancel() }
}

/// No handler is registered for the job's kind in this worker. Claims take only the registry's kinds, so this
/// fails an attempt only if a claim and the registry ever disagree, rather than ending the process.
struct UnknownKind: Error, CustomStringConvertible {
    var kind: String
    var known: [String]
    var description: String { "no handler for job kind \(kind) (this worker knows \(known.joined(separator: ", ")))" }
}
