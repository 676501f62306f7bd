import Foundation
import Histogram
import Logging
import RectifyPostgres
import RectifyQueue
import RectifySchema
import RectifyWorker
import ServiceLifecycle
import Synchronization

/// `rectify bench queue`: batch enqueue, drain with default worker settings, and idle-queue
/// enqueue-to-start latency, on the database given.
struct QueueBenchmark: Sendable {
    struct Result: Codable {
        var jobs: Int
        var workers: Int
        var enqueueSeconds: Double
        var enqueueJobsPerS: Double
        var drainSeconds: Double
        var drainJobsPerS: Double
        var latencySamples: Int
        var latencyP50Ms: Double
        var latencyP90Ms: Double
        var latencyP99Ms: Double
        var latencyMaxMs: Double

        enum CodingKeys: String, CodingKey {
            case jobs, workers
            case enqueueSeconds = "enqueue_seconds", enqueueJobsPerS = "enqueue_jobs_per_s"
            case drainSeconds = "drain_seconds", drainJobsPerS = "drain_jobs_per_s"
            case latencySamples = "latency_samples", latencyP50Ms = "latency_p50_ms", latencyP90Ms = "latency_p90_ms"
            case latencyP99Ms = "latency_p99_ms", latencyMaxMs = "latency_max_ms"
        }
    }

    let database: PostgresConfiguration
    let jobs: Int
    let workers: Int
    let latencyRate: Int
    let latencySeconds: Int
    /// The draining workers' retention of finished jobs: their housekeeping prunes what is older.
    var retention = WorkerConfiguration().retention
    let logger: Logger
    let progress: @Sendable (String) -> Void

    func run() async throws -> Result {
        try await PostgresPool.withPool(configuration: database, logger: logger) { try await run(on: $0) }
    }

    private func run(on pool: PostgresPool) async throws -> Result {
        let runID = scratchSuffix()
        let drainQueue = "bench-\(runID)"
        _ = try await RectifySchema.catalog.migrate(pool, logger: logger)
        let queue = JobQueue(pool: pool)

        let (enqueueSeconds, drainSeconds) = try await enqueueAndDrain(queue: queue, name: drainQueue)

        progress("measuring enqueue-to-start latency at \(latencyRate) jobs/s for \(latencySeconds) s")
        let latencyQueue = "bench-latency-\(runID)"
        let latency = try await measureLatency(queue: queue, name: latencyQueue)
        for name in [drainQueue, latencyQueue] { try await queue.deleteFinishedJobs(queue: name) }
        func ms(_ percentile: Double) -> Double { Double(latency.valueAtPercentile(percentile)) / 1000 }
        return Result(
            jobs: jobs, workers: workers, enqueueSeconds: enqueueSeconds, enqueueJobsPerS: Double(jobs) / enqueueSeconds,
            drainSeconds: drainSeconds, drainJobsPerS: Double(jobs) / drainSeconds,
            latencySamples: Int(latency.totalCount), latencyP50Ms: ms(50), latencyP90Ms: ms(90), latencyP99Ms: ms(99),
            latencyMaxMs: Double(latency.max) / 1000)
    }

    /// Enqueues `jobs` no-op jobs into the queue `name` in one call, paused, so that they wait
    /// until the workers are up (the drain is timed from the moment the jobs become available,
    /// as a running fleet would see a burst arrive); drains them and checks that all completed.
    /// `whileDraining` runs once the drain has begun.
    ///
    /// - Returns: the seconds the enqueue and the drain took.
    func enqueueAndDrain(
        queue: JobQueue, name: String, whileDraining: @escaping @Sendable () async throws -> Void = {}
    ) async throws -> (enqueue: Double, drain: Double) {
        progress("enqueueing \(jobs) noop jobs")
        let requests = try (0..<jobs).map { _ in try JobRequest(kind: BuiltinJobs.noop, queue: name) }
        try await queue.pause(queue: name)
        let enqueueStart = ContinuousClock.now
        _ = try await queue.enqueue(requests)
        let enqueueSeconds = enqueueStart.duration(to: .now).secondsDouble

        progress("draining with \(workers) worker(s)")
        let drainSeconds: Double
        do {
            async let side: Void = whileDraining()
            drainSeconds = try await timeDrain(queue: queue, name: name)
            try await side
        } catch {
            _ = try? await queue.resume(queue: name)
            throw error
        }
        let completed = try await queue.stats()[name]?.completed ?? 0
        guard completed == jobs else {
            throw BenchmarkFailure(description: "drain finished with \(completed) of \(jobs) jobs completed")
        }
        return (enqueueSeconds, drainSeconds)
    }

    /// Starts `workers` workers (each with its own pools) on the paused queue and waits until
    /// they have registered and are listening; then times from resuming the queue, which makes
    /// its jobs available and wakes the workers, to the last completion committed.
    ///
    /// The clock counts the handlers' runs in this process and asks the database only once a
    /// second until every job has run; then it asks every millisecond until no job is live.
    /// Asking every few milliseconds from the start scanned the drained table's dead rows each
    /// time: a seventh of the server's CPU during a 300,000-job drain, taken from the workers
    /// being measured.
    private func timeDrain(queue: JobQueue, name: String) async throws -> Double {
        var configuration = WorkerConfiguration()
        configuration.queues = [name: WorkerConfiguration.defaultConcurrency]
        configuration.retention = retention
        let ran = Atomic<Int>(0)
        var registry = JobRegistry()
        registry.register(BuiltinJobs.noopDefinition) { _, _ in ran.add(1, ordering: .relaxed) }
        return try await withWorkers(configuration: configuration, registry: registry) {
            while try await queue.workerCount(serving: name) < workers {
                try await Task.sleep(for: .milliseconds(10))
            }
            // A worker listens right after it registers; give its listener and its first
            // (empty) claim time to finish, so that the drain does not time start-up.
            try await Task.sleep(for: .milliseconds(200))
            let started = ContinuousClock.now
            try await queue.resume(queue: name)
            var waited = 0
            while ran.load(ordering: .relaxed) < jobs {
                waited += 1
                // Jobs that will not run here (a handler that failed) end the wait through the
                // database, asked once a second meanwhile.
                if waited % 1000 == 0, try await !queue.hasLiveJobs(in: name) { break }
                try await Task.sleep(for: .milliseconds(1))
            }
            while try await queue.hasLiveJobs(in: name) {
                try await Task.sleep(for: .milliseconds(1))
            }
            return started.duration(to: .now).secondsDouble
        }
    }

    /// Enqueues single jobs at a steady rate into an idle queue and records, in microseconds,
    /// the time from the enqueue call to the handler's start.
    private func measureLatency(queue: JobQueue, name: String) async throws -> Histogram<UInt64> {
        let recorder = Mutex(Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three))
        let done = Atomic<Int>(0)
        var registry = JobRegistry()
        registry.register("bench_latency", args: LatencyArgs.self) { args, _ in
            let micros = UInt64(max(0, (Date().timeIntervalSince1970 - args.sentAt) * 1_000_000))
            _ = recorder.withLock { $0.record(micros) }
            done.add(1, ordering: .relaxed)
        }
        var configuration = WorkerConfiguration()
        configuration.queues = [name: 10]
        let total = latencyRate * latencySeconds
        try await withWorkers(configuration: configuration, registry: registry, count: 1) {
            try await Task.sleep(for: .milliseconds(200))
            let interval = Duration.seconds(1) / latencyRate
            let clock = ContinuousClock()
            var next = clock.now
            for _ in 0..<total {
                next += interval
                let request = try JobRequest(kind: "bench_latency", args: LatencyArgs(sentAt: Date().timeIntervalSince1970), queue: name)
                _ = try await queue.enqueue(request)
                try await clock.sleep(until: next)
            }
            let deadline = clock.now + .seconds(30)
            while done.load(ordering: .relaxed) < total, clock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        return recorder.withLock { $0 }
    }

    private func withWorkers<Value: Sendable>(
        configuration: WorkerConfiguration, registry: JobRegistry, count: Int? = nil,
        _ body: @Sendable () async throws -> Value
    ) async throws -> Value {
        let pools = (0..<(count ?? workers)).map { _ in
            var settings = PostgresPoolConfiguration()
            settings.maxConnections = 8
            return PostgresPool(configuration: database, poolConfiguration: settings, logger: logger)
        }
        let services = pools.map { Worker(pool: $0, registry: registry, configuration: configuration, logger: logger) }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: services.map { .init(service: $0) }, logger: logger))
        return try await withThrowingTaskGroup(of: Value?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            let value = try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            for pool in pools { await pool.close() }
            return value
        }
    }

    private struct LatencyArgs: Codable {
        var sentAt: Double
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
}
