import ArgumentParser
import Foundation
import Logging
import RectifyPostgres
import RectifyQueue
import RectifyWorker
import ServiceLifecycle

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start (or reuse) the local cluster, migrate, and run a batch of jobs through real workers.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "No-op jobs to run.") var jobs = 2000

    func run() async throws {
        var logging = database
        if logging.logLevel == .info { logging.logLevel = .warning }
        let logger = logging.makeLogger()
        let started = ContinuousClock.now
        try await database.withPool(logger: logger) { pool in
            let applied = try await Schema.migrate(pool, logger: logger)
            print("schema ready (\(applied) migration(s) applied now)")
            let queueName = "demo"
            let requests = try (0..<jobs).map { index in
                try JobRequest(kind: BuiltinJobs.noop, args: BuiltinJobs.NoopArgs(sleepMs: index % 50 == 0 ? 20 : 0), queue: queueName)
            }
            let queue = JobQueue(pool: pool)
            _ = try await queue.enqueue(requests)
            print("enqueued \(jobs) jobs on queue \(queueName); starting 2 workers")

            var configuration = WorkerConfiguration()
            configuration.queues = [queueName: 50]
            var registry = JobRegistry()
            JobKinds.register(into: &registry)
            let workers = (0..<2).map { _ in Worker(pool: pool, registry: registry, configuration: configuration, logger: logger) }
            let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: workers.map { .init(service: $0) }, logger: logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                while try await queue.stats(includeFinished: false)[queueName].map({ $0.available + $0.running + $0.retryable }) ?? 0 > 0 {
                    try await Task.sleep(for: .milliseconds(50))
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            let stats = try await queue.stats()
            print(StatsTable.render(stats.filter { $0.key == queueName }))
        }
        print(String(format: "done in %.1f s", started.duration(to: .now).secondsDouble))
    }
}
