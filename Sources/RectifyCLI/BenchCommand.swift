import ArgumentParser
import Foundation
import Logging

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure the queue on the database given (see BENCHMARKS.md).",
        subcommands: [Queue.self])

    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Batch enqueue, drain with default worker settings, and idle-queue latency.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "No-op jobs to enqueue and drain.") var jobs = 20_000
        @Option(help: "Workers draining at once (each with its own connections).") var workers = 2
        @Option(name: .customLong("latency-rate"), help: "Jobs per second for the latency run.") var latencyRate = 200
        @Option(name: .customLong("latency-seconds"), help: "Seconds of the latency run.") var latencySeconds = 5
        @Flag(help: "Print one JSON object.") var json = false

        func validate() throws {
            guard jobs > 0 else { throw ValidationError("--jobs must be at least 1") }
            guard workers > 0 else { throw ValidationError("--workers must be at least 1") }
            guard latencyRate > 0, latencySeconds > 0 else { throw ValidationError("--latency-rate and --latency-seconds must be positive") }
        }

        func run() async throws {
            var logging = database
            if logging.logLevel == .info { logging.logLevel = .warning }
            let logger = logging.makeLogger()
            let benchmark = QueueBenchmark(
                database: try await database.resolve(logger: logger), jobs: jobs, workers: workers,
                latencyRate: latencyRate, latencySeconds: latencySeconds, logger: logger,
                progress: { Terminal.note($0) })
            let result = try await benchmark.run()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                print(String(decoding: try encoder.encode(result), as: UTF8.self))
                return
            }
            print("""
                enqueue   \(result.jobs) jobs in \(format(result.enqueueSeconds)) s  = \(Int(result.enqueueJobsPerS)) jobs/s
                drain     \(result.jobs) jobs in \(format(result.drainSeconds)) s  = \(Int(result.drainJobsPerS)) jobs/s (\(result.workers) workers)
                latency   p50 \(format(result.latencyP50Ms)) ms  p90 \(format(result.latencyP90Ms)) ms  p99 \(format(result.latencyP99Ms)) ms  max \(format(result.latencyMaxMs)) ms (\(result.latencySamples) jobs)
                """)
        }

        private func format(_ value: Double) -> String { String(format: "%.3f", value) }
    }
}
