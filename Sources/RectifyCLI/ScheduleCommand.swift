import ArgumentParser
import RectifyConfig
import Foundation
import RectifyDomain
import RectifySchedule

struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule", abstract: "Fire the monthly run, and see which months ran.",
        subcommands: [Monthly.self, List.self])

    struct Monthly: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enqueue a month's scheduling, naming, tallying and disclosure jobs, once per period.",
            discussion: """
                Safe to fire from cron on several hosts at once: the database admits one set of jobs per \
                period, and every later firing prints that the period was already scheduled. Exits 0 either way.
                """)

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The month (YYYY-MM); default the month that just ended in the configured time zone.") var period: String?

        func run() async throws {
            let logger = database.makeLogger()
            let settings = try database.settings()
            let month = try Period.option(period, defaultIn: settings.scheduler.timeZone)
            let outcome = try await database.withPool(logger: logger, maxConnections: 1) { pool in
                try await SchemaCheck.require(pool)
                return try await MonthlyRun.schedule(
                    period: month, by: "cron@\(ProcessInfo.processInfo.hostName)",
                    stalledAfterMonths: settings.scheduler.stalledAfterMonths, pool: pool)
            }
            switch outcome {
            case .scheduled(let ids):
                let jobs = zip(MonthlyRun.kinds, ids).map { "\($0) #\($1)" }.joined(separator: ", ")
                print("scheduled \(month): \(jobs)")
            case .alreadyScheduled(let at, let by):
                print("\(month) was already scheduled at \(ISO8601DateFormatter().string(from: at)) by \(by); nothing enqueued")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The months scheduled, newest first, and their jobs' states.")
        @OptionGroup var database: DatabaseOptions
        @Flag(help: "Print a JSON array of {period, scheduled_at, scheduled_by, jobs: [{kind, job_id, state}]}.") var json = false

        func run() async throws {
            let logger = database.makeLogger()
            let periods = try await database.withPool(logger: logger, maxConnections: 1) { pool in
                try await SchemaCheck.require(pool)
                return try await MonthlyRun.list(pool: pool)
            }
            let formatter = ISO8601DateFormatter()
            if json {
                let items = periods.map { period -> [String: Any] in
                    ["period": period.period, "scheduled_at": formatter.string(from: period.scheduledAt), "scheduled_by": period.scheduledBy,
                     "jobs": period.runs.map { ["kind": $0.kind, "job_id": $0.jobID ?? NSNull(), "state": $0.state ?? NSNull()] as [String: Any] }]
                }
                print(String(decoding: try JSONSerialization.data(withJSONObject: items, options: [.sortedKeys]), as: UTF8.self))
                return
            }
            guard !periods.isEmpty else { return print("no month has been scheduled") }
            for period in periods {
                let jobs = period.runs.map { "\($0.kind) #\($0.jobID.map(String.init) ?? "-") \($0.state ?? "pruned")" }
                print("\(period.period)  \(formatter.string(from: period.scheduledAt))  \(period.scheduledBy)\n    " + jobs.joined(separator: "\n    "))
            }
        }
    }
}
