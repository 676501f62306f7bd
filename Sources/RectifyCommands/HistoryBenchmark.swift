import Foundation
import Logging
import RectifyPostgres
import RectifyQueue
import RectifySchema
import Synchronization

/// `rectify bench history`: the queue beside a year of finished jobs. Measures, on an empty
/// history and then after loading one, the drain (``QueueBenchmark/enqueueAndDrain(queue:name:whileDraining:)``),
/// the reads an operator makes (`queue stats`, the ops page's, `queue list --state discarded`,
/// `queue show`), the pruning of the oldest month during a drain, and the live table's size
/// after every drain. Each round begins with both tables vacuumed.
struct HistoryBenchmark: Sendable {
    /// One read, timed: the median and the slowest of its repeats, in milliseconds.
    struct Read: Codable {
        var name: String
        var medianMs: Double
        var maxMs: Double

        enum CodingKeys: String, CodingKey {
            case name, medianMs = "median_ms", maxMs = "max_ms"
        }
    }

    /// The measurements beside one history.
    struct Round: Codable {
        var finishedJobs: Int
        var drainJobsPerS: [Double]
        var reads: [Read]
        var liveTableKB: [Int]

        enum CodingKeys: String, CodingKey {
            case finishedJobs = "finished_jobs", drainJobsPerS = "drain_jobs_per_s", reads, liveTableKB = "live_table_kb"
        }
    }

    /// Pruning the oldest month while a drain runs.
    struct Pruning: Codable {
        var jobsDropped: Int
        var seconds: Double
        var drainJobsPerS: Double
        var liveTableKB: Int

        enum CodingKeys: String, CodingKey {
            case jobsDropped = "jobs_dropped", seconds, drainJobsPerS = "drain_jobs_per_s", liveTableKB = "live_table_kb"
        }
    }

    struct Result: Codable {
        var empty: Round
        var history: Round
        var pruning: Pruning
        var loadSeconds: Double

        enum CodingKeys: String, CodingKey {
            case empty, history, pruning, loadSeconds = "load_seconds"
        }
    }

    /// A year: the retention the history is kept for, and the span it is spread over.
    static let year = Duration.seconds(365 * 86_400)
    /// How many times each read is repeated.
    static let repeats = 7

    let database: PostgresConfiguration
    let finishedJobs: Int
    let drainJobs: Int
    let drains: Int
    let workers: Int
    let logger: Logger
    let progress: @Sendable (String) -> Void

    func run() async throws -> Result {
        try await PostgresPool.withPool(configuration: database, logger: logger) { try await run(on: $0) }
    }

    private func run(on pool: PostgresPool) async throws -> Result {
        _ = try await RectifySchema.catalog.migrate(pool, logger: logger)
        let queue = JobQueue(pool: pool)
        var drainer = QueueBenchmark(
            database: database, jobs: drainJobs, workers: workers, latencyRate: 1, latencySeconds: 1, logger: logger, progress: progress)
        drainer.retention = Self.year

        progress("beside an empty history")
        let empty = try await measure(queue: queue, drainer: drainer, yearOldID: 1)
        let loadStart = ContinuousClock.now
        let firstHistoryID = try await load(queue: queue)
        let loadSeconds = loadStart.duration(to: .now).secondsDouble
        progress("beside \(finishedJobs.formatted()) finished jobs")
        let history = try await measure(queue: queue, drainer: drainer, yearOldID: firstHistoryID)

        progress("pruning the oldest month while draining")
        let dropped = Mutex<(Int, Double)>((0, 0))
        let name = "bench-prune-\(scratchSuffix())"
        let (_, drainSeconds) = try await drainer.enqueueAndDrain(queue: queue, name: name) {
            try await Task.sleep(for: .seconds(1))
            let start = ContinuousClock.now
            let jobs = try await queue.prune(olderThan: Self.year - .seconds(30 * 86_400))
            dropped.withLock { $0 = (jobs, start.duration(to: .now).secondsDouble) }
        }
        let (jobsDropped, pruneSeconds) = dropped.withLock { $0 }
        let pruning = Pruning(
            jobsDropped: jobsDropped, seconds: pruneSeconds, drainJobsPerS: Double(drainJobs) / drainSeconds,
            liveTableKB: try await queue.liveTableBytes() / 1024)
        return Result(empty: empty, history: history, pruning: pruning, loadSeconds: loadSeconds)
    }

    /// Drains `drains` times, then times each read. `yearOldID` is the first job of the history.
    private func measure(queue: JobQueue, drainer: QueueBenchmark, yearOldID: Int64) async throws -> Round {
        // Each round starts from a vacuumed live table, as autovacuum (once a minute) leaves it.
        try await queue.vacuum()
        var rates: [Double] = []
        var sizes: [Int] = []
        for run in 1...drains {
            progress("drain \(run) of \(drains)")
            let name = "bench-history-\(scratchSuffix())"
            let (_, seconds) = try await drainer.enqueueAndDrain(queue: queue, name: name)
            rates.append(Double(drainJobs) / seconds)
            sizes.append(try await queue.liveTableBytes() / 1024)
        }
        let newest = try await queue.list(JobFilter(state: .completed), limit: 1).first?.id ?? 1
        let reads: [(String, @Sendable () async throws -> Void)] = [
            ("queue stats", { _ = try await queue.stats() }),
            ("ops page: queues (24 h)", { _ = try await queue.stats(finishedWithin: .seconds(86_400)) }),
            ("ops page: recent failures", { _ = try await queue.recentFailures(limit: 20) }),
            ("queue list --state discarded", { _ = try await queue.list(JobFilter(state: .discarded), limit: 50) }),
            ("queue list", { _ = try await queue.list(JobFilter(), limit: 50) }),
            ("queue show (a year-old job)", { _ = try await queue.job(id: yearOldID) }),
            ("queue show (today's job)", { _ = try await queue.job(id: newest) }),
        ]
        var timed: [Read] = []
        for (name, read) in reads {
            var samples: [Double] = []
            for _ in 0..<Self.repeats {
                let start = ContinuousClock.now
                do { try await read() } catch let error as QueueError where error.code == .jobNotFound {}
                samples.append(start.duration(to: .now).secondsDouble * 1000)
            }
            samples.sort()
            timed.append(Read(name: name, medianMs: samples[samples.count / 2], maxMs: samples.last ?? 0))
        }
        let finished = try await queue.stats().values.reduce(0) { $0 + $1.completed + $1.discarded + $1.cancelled }
        return Round(finishedJobs: finished, drainJobsPerS: rates, reads: timed, liveTableKB: sizes)
    }

    /// Loads `finishedJobs` finished jobs spread over the past year, oldest first, in
    /// statements of a million (``JobQueue/insertSyntheticHistory(_:of:over:)``); returns the
    /// oldest one's id.
    private func load(queue: JobQueue) async throws -> Int64 {
        try await queue.prepareFinishedPartitions(retention: Self.year, from: Date().addingTimeInterval(-Self.year.secondsDouble))
        let chunk = 1_000_000
        var oldest: Int64?
        for first in stride(from: 0, to: finishedJobs, by: chunk) {
            let last = min(first + chunk, finishedJobs)
            progress("loading finished jobs \(first.formatted())–\(last.formatted()) of \(finishedJobs.formatted())")
            let lowest = try await queue.insertSyntheticHistory(first..<last, of: finishedJobs, over: Self.year)
            oldest = oldest ?? lowest
        }
        progress("vacuum and analyze")
        try await queue.vacuum()
        _ = try? await queue.pool.query("CHECKPOINT")  // a superuser's only; the measurements do without
        return oldest ?? 1
    }
}
