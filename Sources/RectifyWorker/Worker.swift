import Foundation
public import Logging
public import RectifyPostgres
import RectifyQueue
public import ServiceLifecycle
import Synchronization

/// A worker process's job loop, as a swift-service-lifecycle `Service`.
///
/// It registers itself in `rectify_workers`, listens for `NOTIFY`s, runs one producer per
/// queue, renews the leases of running jobs, and runs the shared maintenance (promoting due
/// jobs, rescuing expired leases, pruning old finished jobs) that any worker may do.
///
/// On graceful shutdown (SIGTERM/SIGINT through the `ServiceGroup`) it stops claiming, lets
/// running jobs finish within ``WorkerConfiguration/shutdownGracePeriod``, cancels and returns
/// the rest to the queue, records the completions it holds, and returns.
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

    public func run() async throws {
        let queue = JobQueue(pool: pool)
        let queueNames = configuration.queues.keys.sorted()
        try await queue.recordWorker(id: id, host: ProcessInfo.processInfo.hostName, pid: getpid(), queues: queueNames)
        let listener = try await PostgresListener.start(
            configuration: pool.configuration, channels: [JobQueue.notificationChannel], logger: logger)
        let lifecycle = WorkerLifecycle()
        let completer = CompletionBatcher(queue: queue, logger: logger)
        let releases = LeaseList()
        let running = RunningJobs()
        let executor = JobExecutor(
            queue: queue, registry: registry, completer: completer, configuration: configuration, workerID: id,
            metrics: WorkerMetrics(), logger: logger, isReleasing: { lifecycle.isReleasing },
            releaseLater: { releases.append($0) })
        let producers = queueNames.map { name in
            QueueProducer(
                name: name, concurrency: max(1, configuration.queues[name] ?? 1), queue: queue, running: running,
                executor: executor, configuration: configuration, lifecycle: lifecycle, logger: logger,
                workArrived: WakeSignal(), slotFreed: WakeSignal())
        }
        let maintenance = WorkerMaintenance(
            queue: queue, running: running, completer: completer, configuration: configuration, lifecycle: lifecycle, logger: logger)
        logger.info("worker started", metadata: ["queues": "\(configuration.queues)", "kinds": "\(registry.kinds)"])

        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { background in
                background.addTask { await Self.dispatch(listener.events, to: producers) }
                background.addTask { await completer.run() }
                background.addTask { await maintenance.runHeartbeats() }
                background.addTask { await maintenance.runHousekeeping() }
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
        }
        try? await queue.removeWorker(id: id)
        logger.info("worker stopped")
    }

    /// Wakes the producer of the queue a `NOTIFY` names; all of them after a reconnect.
    private static func dispatch(_ events: AsyncStream<PostgresListenerEvent>, to producers: [QueueProducer]) async {
        for await event in events {
            switch event {
            case .notification(let notification):
                producers.first { $0.name == notification.payload }?.workArrived.signal()
            case .reconnected:
                producers.forEach { $0.workArrived.signal() }
            }
        }
    }

    private static func release(_ leases: [JobLease], queue: JobQueue, logger: Logger) async {
        guard !leases.isEmpty else { return }
        do {
            let released = try await queue.release(leases)
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
