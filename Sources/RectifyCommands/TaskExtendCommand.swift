import ArgumentParser
import Foundation
import RectifyDomain
import RectifyLedger
import RectifyPostgres
import RectifyProgress
import RectifySchema

/// `rectify task extend`: the province extends a task's deadline (延期), with its reason.
struct TaskExtendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extend", abstract: "Extend an open task's deadline (延期), a provincial decision kept in its history.",
        discussion: """
            The task takes the new deadline; its history keeps the old one, who decided and why. The reports \
            show the extension beside the deadline. Refused, writing nothing, for an unknown task, a task \
            already accepted or closed, or a deadline not later than the current one.
            """)

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The task id.") var id: String
    @Option(help: "The new deadline (YYYY-MM-DD).") var to: String
    @Option(help: "Why the deadline moves.") var reason: String
    @Option(help: "Who decided.") var by: String = "省督察整改办"
    @Option(help: "The decision's document number, if any.") var reference: String?

    func run() async throws {
        guard let deadline = Day(to) else { throw CommandError("--to: \"\(to)\" is not a date YYYY-MM-DD") }
        let logger = database.makeLogger()
        let change = try await database.withPool(logger: logger, maxConnections: 1) { pool in
            _ = try await RectifySchema.catalog.migrate(pool, logger: logger)
            do {
                return try await pool.transaction { connection in
                    try await DeadlineExtension.extend(
                        task: id, to: deadline, reason: reason, by: by, reference: reference, on: connection)
                }
            } catch let refusal as DeadlineExtension.Refusal {
                throw CommandError("\(refusal); nothing was changed")
            }
        }
        print("task \(id): deadline \(change.deadline.old.map(String.init(describing:)) ?? "-") → \(deadline) (\(reason))")
    }
}
