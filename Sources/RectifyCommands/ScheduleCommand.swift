import ArgumentParser
import RectifyConfig
import Foundation
import RectifyDomain
import RectifySchedule

struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule", abstract: "Fire the monthly run, and see the periodic entries and which months ran.",
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
        static let configuration = CommandConfiguration(
            abstract: "Every periodic entry with its last and next due times and its jobs' states, then the months scheduled.")
        @OptionGroup var database: DatabaseOptions
        @Flag(help: """
            Print {"entries": [{name, cron, time_zone, kind, queue, catch_up_limit, registered, last_due, next_due, \
            fires: [{due, fired_at, fired_by, jobs: [{job_id, state}]}]}], "months": [{period, scheduled_at, scheduled_by, \
            jobs: [{kind, job_id, state}]}]}.
            """) var json = false

        func run() async throws {
            let logger = database.makeLogger()
            let settings = try database.settings()
            let (entries, periods) = try await database.withPool(logger: logger, maxConnections: 1) { pool in
                try await SchemaCheck.require(pool)
                return (
                    try await PeriodicSchedule.list(configured: settings.scheduler.allEntries, pool: pool),
                    try await MonthlyRun.list(pool: pool))
            }
            let formatter = ISO8601DateFormatter()
            func time(_ date: Date?) -> Any { date.map(formatter.string(from:)) ?? NSNull() }
            if json {
                let entryItems = entries.map { status -> [String: Any] in
                    [
                        "name": status.entry.name, "cron": status.entry.cron.text, "time_zone": status.entry.cron.timeZone.identifier,
                        "kind": status.entry.kind, "queue": status.entry.queue, "catch_up_limit": status.entry.catchUpLimit,
                        "registered": status.registered, "last_due": time(status.lastDue), "next_due": time(status.nextDue),
                        "fires": status.fires.map { fire -> [String: Any] in
                            ["due": time(fire.due), "fired_at": time(fire.firedAt), "fired_by": fire.firedBy,
                             "jobs": fire.jobs.map { ["job_id": $0.id, "state": $0.state ?? NSNull()] as [String: Any] }]
                        },
                    ]
                }
                let monthItems = periods.map { period -> [String: Any] in
                    ["period": period.period, "scheduled_at": formatter.string(from: period.scheduledAt), "scheduled_by": period.scheduledBy,
                     "jobs": period.runs.map { ["kind": $0.kind, "job_id": $0.jobID ?? NSNull(), "state": $0.state ?? NSNull()] as [String: Any] }]
                }
                let document: [String: Any] = ["entries": entryItems, "months": monthItems]
                print(String(decoding: try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]), as: UTF8.self))
                return
            }
            print("periodic entries (due times in each entry's time zone):")
            for status in entries {
                let entry = status.entry
                // Due times read in the zone the cron expression is written in: "0 2 1 * *" in
                // Asia/Shanghai shows as 02:00+08:00 on the 1st, which in UTC reads as the day before.
                let local = ISO8601DateFormatter()
                local.timeZone = entry.cron.timeZone
                print("  \(entry.name)  \(entry.cron.text) (\(entry.cron.timeZone.identifier))  \(entry.kind) on \(entry.queue)"
                    + (status.registered ? "" : "  [not registered by a scheduler yet: it fires once `rectify work --scheduler` runs with it]"))
                print("    last due \(status.lastDue.map(local.string(from:)) ?? "never")  next due \(status.nextDue.map(local.string(from:)) ?? "never")")
                for fire in status.fires {
                    let jobs = fire.jobs.map { "#\($0.id) \($0.state ?? "pruned")" }.joined(separator: ", ")
                    print("    \(local.string(from: fire.due))  \(fire.firedBy)  \(jobs.isEmpty ? "no jobs" : jobs)")
                }
            }
            print("months:")
            guard !periods.isEmpty else { return print("  no month has been scheduled") }
            for period in periods {
                let jobs = period.runs.map { "\($0.kind) #\($0.jobID.map(String.init) ?? "-") \($0.state ?? "pruned")" }
                print("  \(period.period)  \(formatter.string(from: period.scheduledAt))  \(period.scheduledBy)\n      " + jobs.joined(separator: "\n      "))
            }
        }
    }
}
