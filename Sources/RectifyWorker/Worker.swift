import Foundation
public import Logging
public import RectifyPostgres
import RectifyQueue
public import ServiceLifecycle
import Synchronization

/// A worker process's job loop, as a swift-service-lifecycle `Service`.
///
/// It registers itself in `rectify_workers`, listens for `NOTIFY`s, runs one producer per
/// queue, renews the leases of running jobs, stops handlers past their attempt timeout, and
/// runs the shared maintenance (promoting due jobs, rescuing expired leases, pruning old
/// finished jobs) that any worker may do.
///
/// Its own statements use connections of its own on the pool's server: one per queue for that
/// queue's claims, and a few (``WorkerConfiguration/maintenanceConnections``) for heartbeats,
/// completions and maintenance. Handlers borrow from the pool it is given, so handlers holding
/// every pooled connection cannot starve heartbeats. Started while the database is
/// unreachable, it logs and retries with backoff, claiming nothing, until the database answers
/// or it is shut down.
///
/// On graceful shutdown (SIGTERM/SIGINT through the `ServiceGroup`) it stops claiming, lets
/// running jobs finish within ``WorkerConfiguration/shutdownGracePeriod``, cancels and returns
/// the rest to the queue, records the completions it holds, and returns. Cancelled instead, it
/// cancels running jobs at once, returns them to the queue, and returns.
public final class Worker: Service {
    private let pool: PostgresPool
    private let registry: JobRegistry
    private let configuration: WorkerConfiguration
    private let logger: Logger
    /// This worker's id in `rectify_workers` and in jobs' `attempted_by`.
    public let id: String

    /// Creates a worker; nothing runs until ``run()``.
    public init(pool: PostgresPool, registry: JobRegistry, configuration: WorkerConfiguration, logger: Logger) {
        self.pool = pool
        self.registry = registry
        self.configuration = configuration
        let id = configuration.workerID ?? Worker.makeID()
        self.id = id
        var logger = logger
        logger[metadataKey: LogMetadataKey.workerID] = "\(id)"
        self.logger = logger
    }

    /// Session settings of the worker's own connections (claims, completions, heartbeats,
    /// maintenance), on top of those of the pool it is given.
    ///
    /// - `synchronous_commit = off`: the worker's own statements commit without waiting for the
    ///   WAL flush: on an idle queue a claim then costs a round trip, not a round trip plus a
    ///   disk flush. What a server crash can lose is bookkeeping the queue redoes (see
    ///   RELIABILITY.md): a lost claim leaves its job available, a lost batched completion runs
    ///   a plain handler's job again (at-least-once, as for a worker crash), a lost outcome or
    ///   heartbeat ends in a rescue. Transactional handlers complete on the handlers' pool, in
    ///   their own durable commit, which also flushes every earlier commit of the worker.
    /// - `enable_sort = off`: a claim reads the queue in the order of its index. Right after a
    ///   large enqueue, before the jobs table's statistics catch up, the planner expects a
    ///   handful of available jobs and would rather collect them all and sort them: each claim
    ///   then sorted the whole backlog (150–185 ms per claim at 200,000 jobs). A statement that
    ///   cannot do without a sort still sorts.
    /// - `jit = off`: such a sort is priced far above `jit_above_cost`, and compiling the
    ///   statement then cost most of a second (the partition lookup of
    ///   ``JobQueue/prepareFinishedPartitions(retention:from:)`` took 0.8 s a query).
    public static let bookkeepingSessionSettings = ["synchronous_commit": "off", "enable_sort": "off", "jit": "off"]

    /// Runs until graceful shutdown or cancellation (see the type's documentation), then returns.
    public func run() async throws {
        var settings = pool.poolConfiguration
        settings.maxConnections = configuration.queues.count + max(1, configuration.maintenanceConnections)
        var ownConfiguration = pool.configuration
        ownConfiguration.sessionSettings.merge(Self.bookkeepingSessionSettings) { _, own in own }
        let ownPool = PostgresPool(configuration: ownConfiguration, poolConfiguration: settings, logger: logger)
        do {
            try await run(queue: JobQueue(pool: ownPool))
        } catch {
            await ownPool.close()
            throw error
        }
        await ownPool.close()
    }

    private func run(queue: JobQueue) async throws {
        let queueNames = configuration.queues.keys.sorted()
        let lifecycle = WorkerLifecycle()
        let completer = CompletionBatcher(queue: queue, logger: logger)
        let releases = LeaseList()
        let running = RunningJobs()
        let executor = JobExecutor(
            queue: queue, handlerPool: pool, registry: registry, completer: completer, configuration: configuration,
            workerID: id, metrics: WorkerMetrics(), logger: logger, isReleasing: { lifecycle.isReleasing },
            releaseLater: { releases.append($0) })
        let producers = queueNames.map { name in
            QueueProducer(
                name: name, concurrency: max(1, configuration.queues[name] ?? 1), queue: queue, running: running,
                executor: executor, configuration: configuration, lifecycle: lifecycle, logger: logger,
                workArrived: WakeSignal(), slotFreed: WakeSignal())
        }
        let maintenance = WorkerMaintenance(
            queue: queue, workerID: id, queueNames: queueNames, running: running, completer: completer,
            configuration: configuration, kindRetries: registry.retryPolicies, lifecycle: lifecycle, logger: logger)
        let listener = try await start(queue: queue, queueNames: queueNames) { event in
            Self.dispatch(event, to: producers, running: running)
        }
        guard let listener else { return }
        logger.info("worker started", metadata: ["queues": "\(configuration.queues)", "kinds": "\(registry.kinds)"])

        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { background in
                background.addTask { await completer.run() }
                background.addTask { await maintenance.runHeartbeats() }
                background.addTask { await maintenance.runHousekeeping() }
                background.addTask { await maintenance.runTimeouts() }
                await withDiscardingTaskGroup { group in
                    for producer in producers { group.addTask { await producer.run() } }
                }
                await Self.release(releases.takeAll(), queue: queue, logger: logger)
                completer.stop()
                lifecycle.stop()
                maintenance.wake()
                listener.stop()
            }
        } onGracefulShutdown: {
            lifecycle.beginDraining()
            for producer in producers {
                producer.workArrived.signal()
                producer.slotFreed.signal()
            }
            completer.wakeWaiters()
        }
        let id = self.id
        // From a task of its own: a cancelled worker's statements would be refused.
        _ = try? await Task { try await queue.removeWorker(id: id) }.value
        logger.info("worker stopped")
    }

    /// Registers the worker, makes sure the days ahead have partitions for finished jobs, and
    /// starts listening, retrying with backoff while the database is unreachable; `nil` when
    /// shut down or cancelled before the database answered.
    private func start(
        queue: JobQueue, queueNames: [String], handler: @escaping @Sendable (PostgresListenerEvent) -> Void
    ) async throws -> PostgresListener? {
        var backoff = Duration.milliseconds(500)
        while true {
            do {
                try await queue.recordWorker(id: id, host: ProcessInfo.processInfo.hostName, pid: getpid(), queues: queueNames)
                try await queue.prepareFinishedPartitions(retention: configuration.retention)
                return try await PostgresListener.start(
                    configuration: pool.configuration, channels: [JobQueue.notificationChannel, JobQueue.cancellationChannel],
                    logger: logger, handler: handler)
            } catch let error as PostgresError where error.isConnectionError {
                logger.warning("waiting for the database; the worker takes no jobs until it answers", metadata: [
                    LogMetadataKey.error: "\(error)", "retry_in": "\(backoff)",
                ])
            }
            let wait = backoff
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
            if Task.isCancelled || Task.isShuttingDownGracefully { return nil }
            backoff = min(backoff * 2, .seconds(10))
        }
    }

    /// Wakes the producer of the queue a `NOTIFY` names (all of them after a reconnect), and
    /// cancels the handler of a job an operator discarded. Runs on the listener's thread, so
    /// the cancellation, which runs the handler's cancellation code, goes to a task.
    private static func dispatch(_ event: PostgresListenerEvent, to producers: [QueueProducer], running: RunningJobs) {
        switch event {
        case .notification(let notification) where notification.channel == JobQueue.cancellationChannel:
            if let id = Int64(notification.payload) { Task { running.stop(jobID: id, .discarded) } }
        case .notification(let notification):
            producers.first { $0.name == notification.payload }?.workArrived.signal()
        case .reconnected:
            producers.forEach { $0.workArrived.signal() }
        }
    }

    private static func release(_ leases: [JobLease], queue: JobQueue, logger: Logger) async {
        guard !leases.isEmpty else { return }
        do {
            // From a task of its own: a cancelled worker's statements would be refused.
            let released = try await Task { try await queue.release(leases) }.value
            logger.info("returned unfinished jobs to the queue", metadata: ["count": "\(released)"])
        } catch {
            logger.error("cannot return unfinished jobs; their leases will expire and they will be rescued", metadata: [
                LogMetadataKey.error: "\(error)"
            ])
        }
    }

    /// A fresh worker id: host, process id and a random suffix.
    public static func makeID() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        return "\(host)-\(getpid())-\(String(UInt16.random(in: 0...UInt16.max), radix: 16))"
    }
}

/// Leases collected from cancelled handlers, returned to the queue after the producers stop.
final class LeaseList: Sendable {
    private let leases = Mutex<[JobLease]>([])
    func append(_ lease: JobLease) { leases.withLock { $0.append(lease) } }
    func takeAll() -> [JobLease] { leases.withLock { leases in defer { leases = [] }; return leases } }
}
