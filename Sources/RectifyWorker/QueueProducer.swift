import Logging
import RectifyPostgres
import RectifyQueue
import Synchronization

/// Claims jobs of one queue in batches and runs them, up to the queue's concurrency.
///
/// It claims as many jobs as it has free slots (at most the claim batch size) in one statement.
/// When the queue runs dry it sleeps until a `NOTIFY` for its queue, a poll interval, or
/// shutdown. On shutdown it stops claiming, waits for running jobs up to the grace period, then
/// cancels the rest and returns them to the queue. When its task is cancelled it stops claiming
/// at once; its running jobs are cancelled with it.
///
/// It holds one connection of the worker's own pool for its claims and runs on that
/// connection's thread (``PostgresConnection/taskExecutor``): woken by a `NOTIFY`, it claims
/// without a hop to the connection's thread and back, which on an idle queue is a share of the
/// time from enqueue to the handler's start. Handlers run on Swift's global executor. A claim
/// that fails gives the connection back (the pool replaces a broken one); the first failure
/// of a broken connection is retried at once, others with backoff.
struct QueueProducer: Sendable {
    let name: String
    let concurrency: Int
    let queue: JobQueue
    let running: RunningJobs
    let executor: JobExecutor
    let configuration: WorkerConfiguration
    let lifecycle: WorkerLifecycle
    let logger: Logger
    /// Signalled by the listener when work arrives for this queue.
    let workArrived: WakeSignal
    /// Signalled when a finished job brings this queue's running count down to the mark the
    /// producer asked for (``RunningJobs/wake(queue:runningAtMost:)``).
    let slotFreed: WakeSignal

    private var isStopping: Bool { lifecycle.isDraining || Task.isCancelled }

    func run() async {
        await withDiscardingTaskGroup { group in
            var failures = 0
            while !isStopping {
                do {
                    try await queue.pool.withConnection { connection in
                        try await withTaskExecutorPreference(connection.taskExecutor) {
                            try await claimAndRun(on: connection, into: &group, failures: &failures)
                        }
                    }
                } catch {
                    if isStopping { break }
                    failures += 1
                    if failures == 1, let lost = error as? PostgresError, lost.isConnectionError {
                        // The held connection broke (a server restart, an idle connection
                        // killed): the pool opens another at once.
                        logger.warning("the claim connection broke; claiming on a new one", metadata: [LogMetadataKey.error: "\(error)"])
                        continue
                    }
                    logger.error("cannot claim jobs; retrying", metadata: [LogMetadataKey.error: "\(error)"])
                    await workArrived.wait(timeout: min(.milliseconds(100) * (1 << min(failures, 6)), .seconds(5)))
                }
            }
            await drain(group: &group)
        }
    }

    /// Claims into free slots and starts a handler per job until stopping or a claim fails.
    private func claimAndRun(on connection: PostgresConnection, into group: inout DiscardingTaskGroup, failures: inout Int) async throws {
        while !isStopping {
            let free = await freeSlots()
            guard free > 0, await completionsKeepUp() else { continue }
            let wanted = min(free, configuration.claimBatchSize)
            let jobs = try await JobQueue.claim(
                queue: name, kinds: executor.registry.kinds, limit: wanted, workerID: executor.workerID,
                lease: configuration.lease, on: connection)
            failures = 0
            for job in jobs {
                let stop = running.insert(job, limit: executor.timeout(for: job))
                // Not on the connection's thread, which children would inherit: a handler there
                // would hold up the claims and every other handler, and could outlive the
                // connection, which the pool closes if it breaks.
                group.addTask(executorPreference: globalConcurrentExecutor) {
                    await executor.execute(job, stop: stop)
                    if running.remove(job.lease) { slotFreed.signal() }
                }
            }
            if jobs.count < wanted {
                await workArrived.wait(timeout: configuration.pollInterval)
            }
        }
    }

    /// Free slots worth a claim. While the queue is busy, slots free one job at a time; claiming
    /// each alone would cost a round trip per job, so it waits briefly (at most
    /// `claimCooldown`) for half a batch of slots to free up. It is woken when that many are
    /// free (or, after the cooldown, one), not at every job's end.
    private func freeSlots() async -> Int {
        let wanted = max(1, min(concurrency, configuration.claimBatchSize) / 2)
        let deadline = ContinuousClock.now + configuration.claimCooldown
        while !isStopping {
            let cooled = ContinuousClock.now >= deadline
            let mark = concurrency - (cooled ? 1 : wanted)
            let free = concurrency - running.wake(queue: name, runningAtMost: mark)
            if free >= wanted || (free > 0 && cooled) { return free }
            await slotFreed.wait(timeout: cooled ? configuration.pollInterval : ContinuousClock.now.duration(to: deadline))
        }
        return 0
    }

    /// Waits while the worker's finished jobs waiting for their completion to be written are
    /// twice as many as all its queues may run at once (a batch being written and the next one
    /// gathering, so that claims go on while a completion is written); false if it began
    /// stopping meanwhile. A slot frees when the handler returns, before the batched completion
    /// commits: without this check a database slow to take completions (a heartbeat holding the
    /// rows, a vacuum) let claims run on, the waiting completions grew without bound, and so did
    /// the heartbeat renewing their leases, which then held the rows longer still.
    private func completionsKeepUp() async -> Bool {
        let bound = 2 * max(1, configuration.queues.values.reduce(0, +))
        while executor.completer.backlog >= bound {
            if isStopping { return false }
            // A short timeout: with several queues, a flush that woke another producer first
            // is not seen by one that had not begun waiting yet.
            await executor.completer.waitForFlush(timeout: .milliseconds(20))
        }
        return true
    }

    /// Waits for running jobs up to the grace period, then cancels the rest. Cancelled itself,
    /// it cancels them at once (the group returns them when they end).
    private func drain(group: inout DiscardingTaskGroup) async {
        if Task.isCancelled {
            lifecycle.beginReleasing()
            group.cancelAll()
            return
        }
        let deadline = ContinuousClock.now + configuration.shutdownGracePeriod
        while running.wake(queue: name, runningAtMost: 0) > 0, ContinuousClock.now < deadline, !Task.isCancelled {
            await slotFreed.wait(timeout: min(.milliseconds(200), ContinuousClock.now.duration(to: deadline)))
        }
        let left = running.count(in: name)
        if left > 0 {
            logger.warning("grace period over; cancelling running jobs", metadata: ["count": "\(left)"])
            lifecycle.beginReleasing()
            group.cancelAll()
        }
    }
}

/// The worker's shutdown phases, shared by its loops.
final class WorkerLifecycle: Sendable {
    private let draining = Atomic<Bool>(false)
    private let releasing = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)

    /// Stop claiming new jobs.
    var isDraining: Bool { draining.load(ordering: .sequentiallyConsistent) }
    /// Running jobs are being cancelled and returned to the queue.
    var isReleasing: Bool { releasing.load(ordering: .sequentiallyConsistent) }
    /// Background loops (heartbeat, maintenance) should end.
    var isStopped: Bool { stopped.load(ordering: .sequentiallyConsistent) }

    func beginDraining() { draining.store(true, ordering: .sequentiallyConsistent) }
    func beginReleasing() { releasing.store(true, ordering: .sequentiallyConsistent) }
    func stop() { stopped.store(true, ordering: .sequentiallyConsistent) }
}
