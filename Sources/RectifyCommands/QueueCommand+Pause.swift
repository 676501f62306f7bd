import ArgumentParser
import RectifyQueue

extension QueueCommand {
    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop every worker from claiming jobs of a queue; running jobs finish, enqueueing goes on.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The queue.") var queue: String

        func run() async throws {
            let logger = database.makeLogger()
            let paused = try await database.withPool(logger: logger, maxConnections: 1) { try await JobQueue(pool: $0).pause(queue: queue) }
            print(paused ? "queue \(queue) is paused" : "queue \(queue) was already paused")
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let workers claim jobs of a paused queue again.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The queue.") var queue: String

        func run() async throws {
            let logger = database.makeLogger()
            let resumed = try await database.withPool(logger: logger, maxConnections: 1) { try await JobQueue(pool: $0).resume(queue: queue) }
            print(resumed ? "queue \(queue) is resumed" : "queue \(queue) was not paused")
        }
    }
}
