import ArgumentParser
import RectifyAPI
import RectifyConfig
import RectifySchedule
import RectifyWorker
import Foundation
import RectifyQueue

struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "Inspect queues and act on jobs.",
        subcommands: [Stats.self, List.self, Show.self, Retry.self, Discard.self, Pause.self, Resume.self])

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Depth per queue and state, and the oldest waiting job's age.")

        @OptionGroup var database: DatabaseOptions
        @Flag(help: "Print JSON.") var json = false
        @Flag(help: "Print Prometheus gauges (queues, live workers, the monthly run) for a textfile collector.") var prometheus = false

        func validate() throws {
            guard !(json && prometheus) else { throw ValidationError("--json and --prometheus cannot be combined") }
        }

        func run() async throws {
            let logger = database.makeLogger()
            if prometheus {
                let settings = try database.settings()
                print(try await database.withPool(logger: logger, maxConnections: 1) {
                    try await ProgrammeGauges.exposition(pool: $0, lease: settings.worker.lease, timeZone: settings.scheduler.timeZone)
                }, terminator: "")
                return
            }
            let stats = try await database.withPool(logger: logger, maxConnections: 1) { try await JobQueue(pool: $0).stats() }
            if json {
                // QueueStats names its keys itself (`oldest_available_age_s`).
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(["queues": stats]), as: UTF8.self))
                return
            }
            print(StatsTable.render(stats))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one job, with its error history.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The job id.") var id: Int64
        @Flag(help: "Print the job as JSON.") var json = false

        func run() async throws {
            let logger = database.makeLogger()
            let job = try await database.withPool(logger: logger, maxConnections: 1) { try await JobQueue(pool: $0).job(id: id) }
            if json {
                print(String(decoding: try QueueCommand.encoder(pretty: true).encode(job), as: UTF8.self))
                return
            }
            print(JobCard.render(job))
        }
    }

    /// JSON as the CLI prints it: snake_case keys, sorted, ISO 8601 dates.
    static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

/// The human form of `rectify queue stats`.
enum StatsTable {
    static func render(_ stats: [String: QueueStats]) -> String {
        guard !stats.isEmpty else { return "no jobs" }
        let states = JobState.allCases
        let header = ["queue"] + states.map(\.rawValue) + ["oldest waiting", "claiming"]
        let rows = stats.keys.sorted().map { queue -> [String] in
            let depth = stats[queue]!
            return [queue] + states.map { String(depth[$0]) }
                + [age(depth.oldestAvailableAgeSeconds, waiting: depth.available), depth.paused ? "paused" : "yes"]
        }
        return TextTable.render(header: header, rows: rows, rightAligned: Set(1..<header.count))
    }

    private static func age(_ seconds: Double, waiting: Int) -> String {
        guard waiting > 0 else { return "-" }
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        if seconds < 3600 { return String(format: "%.0fm", seconds / 60) }
        return String(format: "%.1fh", seconds / 3600)
    }
}
