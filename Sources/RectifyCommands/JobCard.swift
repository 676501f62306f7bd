import Foundation
import RectifyQueue

/// The human form of `rectify queue show`: the job's fields, then each failed attempt's error
/// in full, oldest first.
enum JobCard {
    static func render(_ job: Job) -> String {
        let formatter = ISO8601DateFormatter()
        var fields: [(String, String)] = [
            ("args", job.argsJSON),
            ("attempts", "\(job.attempt) of \(job.maxAttempts)"),
            ("priority", String(job.priority)),
            ("run at", formatter.string(from: job.runAt)),
            ("created", formatter.string(from: job.createdAt)),
        ]
        if let attemptedAt = job.attemptedAt {
            fields.append(("last attempt", formatter.string(from: attemptedAt) + (job.attemptedBy.map { " by \($0)" } ?? "")))
        }
        if let finishedAt = job.finishedAt { fields.append(("finished", formatter.string(from: finishedAt))) }
        if let uniqueKey = job.uniqueKey { fields.append(("unique key", uniqueKey)) }
        let width = fields.map(\.0.count).max() ?? 0
        var lines = ["job \(job.id)  \(job.kind) on \(job.queue)  \(job.state.rawValue)"]
        lines += fields.map { "  \($0.0.padding(toLength: width, withPad: " ", startingAt: 0))  \($0.1)" }
        lines.append(job.errors.isEmpty ? "no errors" : "errors, oldest first:")
        for record in job.errors {
            lines.append("  attempt \(record.attempt)  \(formatter.string(from: record.at))" + (record.worker.map { "  \($0)" } ?? ""))
            lines += record.error.split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)" }
        }
        return lines.joined(separator: "\n")
    }
}
