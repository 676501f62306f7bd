public import ArgumentParser
import Foundation
import Logging
import RectifyDomain

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure the queue and the domain jobs on the database given (see BENCHMARKS.md).",
        subcommands: [Queue.self, History.self, Domain.self, Passwords.self])

    struct Domain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a generated national ledger and run each monthly report job on it.",
            discussion: """
                Works in a scratch database on the server given (created and dropped; the role needs CREATEDB). \
                national: 31 provinces, 2,914 counties, 100,000 tasks, 1,000,000 petitions, 20,000 accountability \
                cases with 60,000 persons. province: one province at the same density.
                """)

        @OptionGroup var database: DatabaseOptions
        @Option(help: "national or province.") var scale: NationalLedger.Scale = .national
        @Option(name: .customLong("keep-ledger"), help: "Also keep the generated ledger file at this path.") var keepLedger: String?
        @Flag(help: "Print one JSON object.") var json = false

        func run() async throws {
            var logging = database
            if logging.logLevel == .info { logging.logLevel = .warning }
            let logger = logging.makeLogger()
            let benchmark = DomainBenchmark(
                server: try await database.resolve(logger: logger), scale: scale, keepLedger: keepLedger, logger: logger)
            let result = try await benchmark.run()
            if json {
                printJSON(result)
                return
            }
            print("""
                import    \(result.records.formatted()) records (\(Int(result.fileMB)) MB) in \(format(result.importSeconds)) s = \(Int(result.importRecordsPerS).formatted()) records/s
                """)
            for (kind, seconds) in result.reportSeconds.sorted(by: { $0.key < $1.key }) {
                print("report    \(kind.padding(toLength: 21, withPad: " ", startingAt: 0)) \(format(seconds)) s")
            }
            print("worker    peak resident memory \(format(result.maxRSSMB)) MB")
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The queue beside a year of finished jobs: drain, operators' reads and pruning, before and after loading it.",
            discussion: """
                Loads the finished jobs into the database given (they stay there: use a scratch database). \
                Each drain enqueues --jobs no-op jobs and drains them with --workers workers.
                """)

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Finished jobs to load, spread over the past year.") var finished = 10_000_000
        @Option(help: "No-op jobs per drain.") var jobs = 100_000
        @Option(help: "Drains beside each history.") var drains = 3
        @Option(help: "Workers draining at once (each with its own connections).") var workers = 2
        @Flag(help: "Print one JSON object.") var json = false

        func validate() throws {
            guard finished > 0, jobs > 0, drains > 0, workers > 0 else {
                throw ValidationError("--finished, --jobs, --drains and --workers must be at least 1")
            }
        }

        func run() async throws {
            var logging = database
            if logging.logLevel == .info { logging.logLevel = .warning }
            let logger = logging.makeLogger()
            let benchmark = HistoryBenchmark(
                database: try await database.resolve(logger: logger), finishedJobs: finished, drainJobs: jobs, drains: drains,
                workers: workers, logger: logger, progress: { Terminal.note($0) })
            let result = try await benchmark.run()
            if json {
                printJSON(result)
                return
            }
            for (title, round) in [("empty history", result.empty), ("\(result.history.finishedJobs.formatted()) finished jobs", result.history)] {
                print("\(title): drain \(round.drainJobsPerS.map { Int($0).formatted() }.joined(separator: ", ")) jobs/s; "
                      + "live table \(round.liveTableKB.map { "\($0) kB" }.joined(separator: ", "))")
                for read in round.reads {
                    print("  \(read.name.padding(toLength: 30, withPad: " ", startingAt: 0)) median \(format(read.medianMs)) ms, slowest \(format(read.maxMs)) ms")
                }
            }
            let pruning = result.pruning
            print("""
                pruning the oldest month: \(pruning.jobsDropped.formatted()) jobs in \(format(pruning.seconds)) s, \
                during a drain of \(Int(pruning.drainJobsPerS).formatted()) jobs/s; live table \(pruning.liveTableKB) kB
                """)
        }
    }

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
                printJSON(result)
                return
            }
            print("""
                enqueue   \(result.jobs) jobs in \(format(result.enqueueSeconds)) s  = \(Int(result.enqueueJobsPerS)) jobs/s
                drain     \(result.jobs) jobs in \(format(result.drainSeconds)) s  = \(Int(result.drainJobsPerS)) jobs/s (\(result.workers) workers)
                latency   p50 \(format(result.latencyP50Ms)) ms  p90 \(format(result.latencyP90Ms)) ms  p99 \(format(result.latencyP99Ms)) ms  max \(format(result.latencyMaxMs)) ms (\(result.latencySamples) jobs)
                """)
        }

    }
}

private func format(_ value: Double) -> String { String(format: "%.3f", value) }

/// A random suffix for the names of a benchmark's scratch queues and databases, so that runs
/// on one server do not see each other's.
func scratchSuffix() -> String { String(UInt32.random(in: 0...UInt32.max), radix: 36) }

/// Prints one JSON object with sorted keys, for scripts.
func printJSON(_ value: some Encodable) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    print(String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self))
}

extension NationalLedger.Scale: ExpressibleByArgument {}
