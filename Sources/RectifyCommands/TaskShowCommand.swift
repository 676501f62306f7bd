import ArgumentParser
import Foundation
import RectifyConfig
import RectifyDomain
import RectifyLedger
import RectifyProgress
import RectifySchedule

/// `rectify task show ID`: a task and every change to it, oldest first.
struct TaskShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print a task with its history of changes (who, through what, from what to what, why).")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The task's id.") var id: String

    func run() async throws {
        let logger = database.makeLogger()
        let zone = try database.settings().scheduler.timeZone
        let found = try await database.withPool(logger: logger, maxConnections: 1) { pool in
            do {
                return try await TaskDirectory(pool: pool, timeZone: zone).task(id)
            } catch let error as ProgressError {
                throw CommandError("\(error.message)")
            }
        }
        let task = found.task
        print("\(task.id)  \(task.title)")
        print("  round      \(task.round)")
        print("  region     \(task.regionName) (\(task.region))")
        print("  lead unit  \(task.leadUnitName) (\(task.leadUnit))")
        print("  deadline   \(task.deadline)\(task.overdue ? "  OVERDUE" : "")")
        print("  status     \(task.status)\(task.closedOn.map { " on \($0)" } ?? "")")
        print("  progress   \(task.progress)%")
        guard !found.history.isEmpty else { return print("history    no changes recorded") }
        print("history")
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        for entry in found.history {
            let change = entry.change
            var parts: [String] = []
            if change.status.old != nil || change.status.new != nil {
                parts.append("status \(change.status.old?.rawValue ?? "-") → \(change.status.new?.rawValue ?? "-")")
            }
            if change.progress.old != nil || change.progress.new != nil {
                parts.append("progress \(change.progress.old.map(String.init) ?? "-") → \(change.progress.new.map(String.init) ?? "-")")
            }
            if change.deadline.old != nil || change.deadline.new != nil {
                parts.append("deadline \(change.deadline.old?.description ?? "-") → \(change.deadline.new?.description ?? "-")")
            }
            var line = "  \(formatter.string(from: entry.changedAt))  \(change.source.rawValue) by \(change.actor)"
            if let reference = change.reference { line += " [\(reference)]" }
            line += ": " + (parts.isEmpty ? "no change of values" : parts.joined(separator: ", "))
            if !change.note.isEmpty { line += " — \(change.note)" }
            print(line)
        }
    }
}
