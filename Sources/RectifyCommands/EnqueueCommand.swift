import ArgumentParser
import Foundation
import RectifyQueue
import RectifyReports
import RectifyWorker

struct EnqueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enqueue", abstract: "Enqueue one job.",
        discussion: "Example: rectify enqueue noop --args '{\"sleep_ms\": 100}' --queue default")

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The job kind (noop, monthly_schedule, …).")
    var kind: String

    @Option(help: "Arguments as a JSON object.")
    var args: String = "{}"

    @Option(help: "The queue.")
    var queue: String = "default"

    @Option(help: "Lower runs first.")
    var priority: Int16 = 0

    @Option(name: .customLong("run-at"), help: "Not before this time (ISO 8601, e.g. 2026-12-01T02:00:00+08:00).")
    var runAt: String?

    @Option(name: .customLong("unique-key"), help: "At most one live job with this key.")
    var uniqueKey: String?

    @Option(name: .customLong("max-attempts"), help: "Attempts before the job is discarded.")
    var maxAttempts: Int32 = 20

    @Option(help: "Seconds one attempt may run before it is cancelled and counted as failed (default: the worker's for the kind).")
    var timeout: Double?

    /// The kinds this build's workers run (``JobKinds``): the only ones worth enqueueing.
    static var knownKinds: [String] {
        var registry = JobRegistry()
        JobKinds.register(into: &registry)
        return registry.kinds
    }

    func run() async throws {
        let logger = database.makeLogger()
        let runAtDate = try runAt.map { text in
            guard let date = ISO8601DateFormatter().date(from: text) else {
                throw CommandError("--run-at: \"\(text)\" is not an ISO 8601 time such as 2026-12-01T02:00:00+08:00")
            }
            return date
        }
        guard !kind.isEmpty else { throw CommandError("kind: must not be empty") }
        let known = Self.knownKinds
        guard known.contains(kind) else {
            throw CommandError("no job definition names kind \"\(kind)\"; known kinds: \(known.joined(separator: ", "))")
        }
        do {
            try ReportJobs.checkArgs(kind: kind, argsJSON: args, at: Date())
        } catch {
            throw CommandError("--args: \(error)")
        }
        if let timeout, !(timeout > 0 && timeout.isFinite) {
            throw CommandError("--timeout must be a positive number of seconds")
        }
        let request: JobRequest
        do {
            request = try JobRequest(
                kind: kind, argsJSON: args, queue: queue, priority: priority, runAt: runAtDate,
                maxAttempts: maxAttempts, uniqueKey: uniqueKey,
                timeout: timeout.map { .milliseconds(Int64(($0 * 1000).rounded())) })
        } catch let error as QueueError {
            throw CommandError("--\(error.message)")
        }
        let outcome = try await database.withPool(logger: logger, maxConnections: 1) {
            try await JobQueue(pool: $0).enqueue(request)
        }
        switch outcome {
        case .inserted(let id): print("enqueued job \(id)")
        case .duplicate(let key): print("a live job with unique key \(key) already exists; nothing enqueued")
        }
    }
}
