import Logging
import RectifyPostgres
import RectifyQueue
import Synchronization

/// Completes jobs of plain handlers in batches: one statement for everything that finished
/// while the previous statement ran, so completion keeps up with claiming without a timer.
///
/// Completion is at-least-once for these handlers: a job whose handler returned but whose
/// completion had not committed when the process died is rescued and runs again.
final class CompletionBatcher: Sendable {
    private let queue: JobQueue
    private let logger: Logger
    private let pending = Mutex<[JobLease]>([])
    /// The batch being written now.
    private let writing = Mutex<[JobLease]>([])
    private let stopping = Atomic<Bool>(false)
    private let wake = WakeSignal()
    /// Signalled after each attempt to write a batch, and when the worker begins stopping.
    private let flushed = WakeSignal()

    init(queue: JobQueue, logger: Logger) {
        self.queue = queue
        self.logger = logger
    }

    /// Leases whose jobs are done but not yet recorded: the heartbeat keeps renewing them, so a
    /// slow database delays their completion without their lease running out and the job
    /// being rescued and run again.
    var awaitingCompletion: [JobLease] {
        pending.withLock { $0 } + writing.withLock { $0 }
    }

    /// How many finished jobs wait for their completion to be written.
    var backlog: Int {
        pending.withLock { $0.count } + writing.withLock { $0.count }
    }

    /// Returns when an attempt to write a batch ends, when the worker begins stopping
    /// (``wakeWaiters()``), or after `timeout`.
    func waitForFlush(timeout: Duration) async {
        await flushed.wait(timeout: timeout)
    }

    /// Wakes the producers waiting in ``waitForFlush(timeout:)``, so that they see the worker
    /// stopping at once.
    func wakeWaiters() {
        flushed.signal()
    }

    /// Queues a lease for completion.
    func complete(_ lease: JobLease) {
        pending.withLock { $0.append(lease) }
        wake.signal()
    }

    /// Finishes after flushing everything submitted before ``stop()``.
    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        wake.signal()
    }

    /// Flushes batches until stopped and empty.
    func run() async {
        var backoff = Duration.milliseconds(50)
        while true {
            let batch = pending.withLock { pending in
                defer { pending.removeAll(keepingCapacity: true) }
                writing.withLock { $0 = pending }
                return pending
            }
            defer {
                writing.withLock { $0 = [] }
                if !batch.isEmpty { flushed.signal() }
            }
            if batch.isEmpty {
                if stopping.load(ordering: .sequentiallyConsistent) || Task.isCancelled { return }
                await wake.wait(timeout: .seconds(1))
                continue
            }
            if Task.isCancelled {
                // Statements in a cancelled task are refused: record this batch once from a task
                // of its own, then stop; what cannot be recorded is rescued and runs again.
                let queue = self.queue
                _ = try? await Task { try await queue.complete(batch) }.value
                return
            }
            do {
                let held = try await queue.complete(batch)
                if held.count < batch.count {
                    logger.warning("jobs finished after their lease was taken over; their completion was refused", metadata: [
                        "count": "\(batch.count - held.count)"
                    ])
                }
                backoff = .milliseconds(50)
            } catch {
                if stopping.load(ordering: .sequentiallyConsistent) && backoff >= .seconds(1) {
                    // Shutting down with the database unreachable: the rescuer will run these again.
                    logger.error("giving up recording completed jobs at shutdown; they will run again", metadata: [
                        "count": "\(batch.count)", LogMetadataKey.error: "\(error)",
                    ])
                    return
                }
                logger.error("cannot record completed jobs; will retry", metadata: [LogMetadataKey.error: "\(error)"])
                pending.withLock { $0.insert(contentsOf: batch, at: 0) }
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
    }
}
