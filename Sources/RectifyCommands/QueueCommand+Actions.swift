import ArgumentParser
import Foundation
import RectifyQueue

/// Which jobs `queue retry` and `queue discard` act on: one id, or every job matching filters.
struct JobSelectionOptions: ParsableArguments {
    @Argument(help: "The job id; omit it to act on every job matching --state/--kind/--queue.") var id: Int64?
    @Option(help: "Only jobs in this state (\(JobState.allCases.map(\.rawValue).joined(separator: ", "))).") var state: String?
    @Option(help: "Only jobs of this kind.") var kind: String?
    @Option(help: "Only jobs of this queue.") var queue: String?

    func validate() throws {
        if let state, JobState(rawValue: state) == nil {
            throw ValidationError("--state: \"\(state)\" is not one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let filtered = state != nil || kind != nil || queue != nil
        if id != nil && filtered { throw ValidationError("give either a job id or --state/--kind/--queue, not both") }
        if id == nil && !filtered {
            throw ValidationError("give a job id, or --state, --kind or --queue to act on every matching job")
        }
    }

    var filter: JobFilter { JobFilter(state: state.flatMap(JobState.init(rawValue:)), kind: kind, queue: queue) }
}

extension QueueCommand {
    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a discarded, cancelled or waiting job again now; with filters, every such job that matches.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var selection: JobSelectionOptions

        func run() async throws {
            try await QueueCommand.act(selection, database: database, verb: "retried") { queue, id, filter in
                if let id { return .one(try await queue.retry(id: id)) }
                return .many(try await queue.retry(matching: filter))
            }
        }
    }

    struct Discard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Discard a live job; it will not run again. With filters, every live job that matches.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var selection: JobSelectionOptions

        func run() async throws {
            try await QueueCommand.act(selection, database: database, verb: "discarded") { queue, id, filter in
                if let id { return .one(try await queue.discard(id: id)) }
                return .many(try await queue.discard(matching: filter))
            }
        }
    }

    /// What an operator action touched.
    enum ActionResult: Sendable {
        case one(Job)
        case many(Int)
    }

    /// Runs an operator action and prints the state the job ended in, or how many jobs it touched.
    static func act(
        _ selection: JobSelectionOptions, database: DatabaseOptions, verb: String,
        _ action: @escaping @Sendable (JobQueue, Int64?, JobFilter) async throws -> ActionResult
    ) async throws {
        let logger = database.makeLogger()
        let (id, filter) = (selection.id, selection.filter)
        let result: ActionResult
        do {
            result = try await database.withPool(logger: logger, maxConnections: 1) { try await action(JobQueue(pool: $0), id, filter) }
        } catch let error as QueueError where error.code == .invalidRequest {
            throw CommandError("--\(error.message)")
        }
        switch result {
        case .one(let job): print("job \(job.id) (\(job.kind)) is \(job.state.rawValue)")
        case .many(let count): print("\(verb) \(count) job\(count == 1 ? "" : "s")")
        }
    }
}
