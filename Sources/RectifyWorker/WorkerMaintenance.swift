import Foundation
import Logging
import RectifyPostgres
import RectifyQueue

/// The worker's background duties: renewing leases and the worker's own record, stopping
/// handlers past their attempt timeout, and the queue housekeeping that every worker performs
/// (safe to run concurrently: each statement skips rows others hold). The loops end when the
/// worker stops or their task is cancelled.
struct WorkerMaintenance: Sendable {
    let queue: JobQueue
    let workerID: String
    let queueNames: [String]
    let running: RunningJobs
    let completer: CompletionBatcher
    let configuration: WorkerConfiguration
    /// The retry policies of the kinds registered with one, for the jobs it rescues.
    let kindRetries: [String: RetryPolicy]
    let lifecycle: WorkerLifecycle
    let logger: Logger
    private let stopSignal = WakeSignal()

    init(
        queue: JobQueue, workerID: String, queueNames: [String], running: RunningJobs, completer: CompletionBatcher,
        configuration: WorkerConfiguration, kindRetries: [String: RetryPolicy], lifecycle: WorkerLifecycle, logger: Logger
    ) {
        self.queue = queue
        self.workerID = workerID
        self.queueNames = queueNames
        self.running = running
        self.completer = completer
        self.configuration = configuration
        self.kindRetries = kindRetries
        self.lifecycle = lifecycle
        self.logger = logger
    }

    /// Ends the loops' current sleep and every later one (after ``WorkerLifecycle/stop()``): a
    /// loop busy with a statement when the worker stops does not sleep a full interval after it.
    func wake() {
        stopSignal.close()
        running.deadlineMoved.signal()
    }

    /// Stops the handlers of jobs that ran past their attempt timeout, at each job's deadline
    /// (``RunningJobs/stopTimedOut()``), until the worker stops. One loop watches every running
    /// job, so a job costs no timer of its own.
    func runTimeouts() async {
        while !lifecycle.isStopped && !Task.isCancelled {
            let next = running.stopTimedOut()
            await running.deadlineMoved.wait(timeout: ContinuousClock.now.duration(to: next))
        }
    }

    /// Renews the leases of running jobs (and of finished jobs whose completion is not yet
    /// recorded) and the worker's own record (`last_seen_at`), every heartbeat interval. A
    /// running job whose lease is no longer held has its handler cancelled.
    func runHeartbeats() async {
        while !lifecycle.isStopped && !Task.isCancelled {
            await stopSignal.wait(timeout: configuration.heartbeatInterval)
            if lifecycle.isStopped || Task.isCancelled { return }
            let runningLeases = running.leases
            let leases = runningLeases + completer.awaitingCompletion
            do {
                let held = try await queue.heartbeat(leases, lease: configuration.lease)
                // A job that finished while the heartbeat ran is gone from the table, not lost.
                for lost in Set(runningLeases).subtracting(held) where running.contains(lost) {
                    logger.warning("lost the lease of a running job; cancelling its handler", metadata: [
                        LogMetadataKey.jobID: "\(lost.id)", LogMetadataKey.attempt: "\(lost.attempt)",
                    ])
                    running.stop(lost, .leaseLost)
                }
                try await queue.recordWorker(
                    id: workerID, host: ProcessInfo.processInfo.hostName, pid: getpid(), queues: queueNames)
            } catch where !Task.isCancelled {
                logger.error("cannot renew leases", metadata: [LogMetadataKey.error: "\(error)"])
            } catch {
                return
            }
        }
    }

    /// Promotes due jobs, rescues expired leases and prunes old finished jobs.
    func runHousekeeping() async {
        let clock = ContinuousClock()
        var nextRescue = clock.now
        var nextPrune = clock.now
        while !lifecycle.isStopped && !Task.isCancelled {
            do {
                _ = try await queue.promoteDue()
                if clock.now >= nextRescue {
                    nextRescue = clock.now + configuration.rescueInterval
                    let rescued = try await queue.rescueExpired(
                        retry: configuration.retry, kindRetries: kindRetries, grace: configuration.lease)
                    if rescued.retried + rescued.discarded > 0 {
                        logger.warning("rescued jobs whose worker stopped renewing their lease", metadata: [
                            "retried": "\(rescued.retried)", "discarded": "\(rescued.discarded)",
                        ])
                    }
                }
                if clock.now >= nextPrune {
                    nextPrune = clock.now + configuration.pruneInterval
                    let pruned = try await queue.prune(olderThan: configuration.retention)
                    try await queue.forgetStaleWorkers(staleAfter: configuration.lease * 4)
                    if pruned > 0 { logger.info("pruned finished jobs", metadata: ["count": "\(pruned)"]) }
                }
            } catch where !Task.isCancelled {
                logger.error("queue housekeeping failed; will retry", metadata: [LogMetadataKey.error: "\(error)"])
            } catch {
                return
            }
            await stopSignal.wait(timeout: configuration.promoteInterval)
        }
    }
}
