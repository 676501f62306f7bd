import ArgumentParser
import Foundation
import RectifyQueue

extension QueueCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs, newest first, live and finished.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only jobs in this state (\(JobState.allCases.map(\.rawValue).joined(separator: ", "))).") var state: String?
        @Option(help: "Only jobs of this kind.") var kind: String?
        @Option(help: "Only jobs of this queue.") var queue: String?
        @Option(help: "The most jobs listed.") var limit = 50
        @Flag(help: "Print a JSON array of jobs, as `queue show --json` prints one.") var json = false

        func validate() throws {
            if let state, JobState(rawValue: state) == nil {
                throw ValidationError("--state: \"\(state)\" is not one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            let logger = database.makeLogger()
            let filter = JobFilter(state: state.flatMap(JobState.init(rawValue:)), kind: kind, queue: queue)
            let jobs = try await database.withPool(logger: logger, maxConnections: 1) { [limit] in
                try await JobQueue(pool: $0).list(filter, limit: limit)
            }
            if json {
                print(String(decoding: try QueueCommand.encoder(pretty: false).encode(jobs), as: UTF8.self))
                return
            }
            print(JobTable.render(jobs))
        }
    }
}

/// The human form of `rectify queue list`: one line per job, its latest error last.
enum JobTable {
    static func render(_ jobs: [Job]) -> String {
        guard !jobs.isEmpty else { return "no jobs" }
        let header = ["id", "queue", "kind", "state", "attempts", "created", "last error"]
        let formatter = ISO8601DateFormatter()
        let rows = jobs.map { job -> [String] in
            let error = job.errors.last.map { $0.error.count > 60 ? String($0.error.prefix(59)) + "…" : $0.error } ?? ""
            return [String(job.id), job.queue, job.kind, job.state.rawValue, "\(job.attempt)/\(job.maxAttempts)",
                    formatter.string(from: job.createdAt), error]
        }
        return TextTable.render(header: header, rows: rows)
    }
}
