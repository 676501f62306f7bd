import Foundation
import Logging
import RectifyDomain
import RectifyPostgres
import RectifyQueue
import RectifyReports
import RectifySchedule
import RectifyTesting
import Testing

@Suite("Periodic entries fire each due time once", .database)
struct PeriodicScheduleTests {
    private func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    private func entry(_ name: String, _ cron: String, catchUp: Int = 3) throws -> PeriodicEntry {
        try PeriodicEntry(
            name: name, cron: CronExpression(cron, timeZone: TimeZone(identifier: "UTC")!), kind: "noop",
            argsJSON: #"{"entry":"\#(name)"}"#, queue: "periodic-\(name)", catchUpLimit: catchUp)
    }

    /// The jobs an entry enqueued, live or finished.
    private func jobs(_ name: String, _ pool: PostgresPool) async throws -> Int {
        try await pool.query("""
            SELECT (SELECT count(*) FROM rectify_jobs WHERE args->>'entry' = \(name))
                 + (SELECT count(*) FROM rectify_finished_jobs WHERE args->>'entry' = \(name))
            """)[0].decode(Int.self, at: 0)
    }

    private func fires(_ name: String, _ pool: PostgresPool) async throws -> [Date] {
        try await pool.query("SELECT due_at FROM rectify_periodic_fires WHERE entry = \(name) ORDER BY due_at").map { try $0.decode(Date.self, at: 0) }
    }

    @Test("eight schedulers catching up at once enqueue one job per due time")
    func concurrentSchedulers() async throws {
        let database = try await TestDatabase.fresh("periodic")
        try await database.withPool(maxConnections: 12) { pool in
            let every = try entry("five_minutes", "*/5 * * * *", catchUp: 10)
            // Fired at 10:00; at 10:32 the due times 10:05 … 10:30 are missed.
            #expect(try await PeriodicSchedule.fire(every, due: date("2026-11-27T10:00:00Z"), by: "test", pool: pool) != .alreadyFired)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for scheduler in 0..<8 {
                    group.addTask {
                        try await PeriodicSchedule.fireDue(
                            [every], now: self.date("2026-11-27T10:32:00Z"), by: "scheduler@\(scheduler)", pool: pool, logger: TestLogging.logger)
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await fires("five_minutes", pool).count == 7)
            #expect(try await jobs("five_minutes", pool) == 7, "one job per due time")
            #expect(try await PeriodicSchedule.fire(every, due: date("2026-11-27T10:30:00Z"), by: "late", pool: pool) == .alreadyFired)
            #expect(try await jobs("five_minutes", pool) == 7)
        }
    }

    @Test("after downtime only the newest missed due times up to the limit fire; a new entry fires its latest")
    func catchUpLimit() async throws {
        let database = try await TestDatabase.fresh("catchup")
        try await database.withPool { pool in
            let hourly = try entry("hourly", "0 * * * *", catchUp: 3)
            try await PeriodicSchedule.fireDue([hourly], now: date("2026-11-27T00:10:00Z"), by: "test", pool: pool, logger: TestLogging.logger)
            #expect(try await fires("hourly", pool) == [date("2026-11-27T00:00:00Z")], "a new entry fires only its latest due time")
            // Down until 10:30: ten hourly due times were missed.
            try await PeriodicSchedule.fireDue([hourly], now: date("2026-11-27T10:30:00Z"), by: "test", pool: pool, logger: TestLogging.logger)
            #expect(try await fires("hourly", pool) == [
                date("2026-11-27T00:00:00Z"), date("2026-11-27T08:00:00Z"), date("2026-11-27T09:00:00Z"), date("2026-11-27T10:00:00Z"),
            ])
            #expect(try await jobs("hourly", pool) == 4)
            let listed = try await PeriodicSchedule.list(configured: [], now: date("2026-11-27T10:30:00Z"), pool: pool)
            #expect(listed.isEmpty, "an entry nobody configured or registered is not listed")
            try await PeriodicSchedule.register([hourly], pool: pool)
            let status = try #require(try await PeriodicSchedule.list(configured: [], now: date("2026-11-27T10:30:00Z"), pool: pool).first)
            #expect(status.registered && status.entry.name == "hourly")
            #expect(status.lastDue == date("2026-11-27T10:00:00Z") && status.nextDue == date("2026-11-27T11:00:00Z"))
            #expect(status.fires.count == 3 && status.fires.allSatisfy { $0.jobs.count == 1 && $0.jobs[0].state == "available" })
        }
    }

    @Test("the monthly entry and `schedule monthly` share one set of jobs per period, whichever fires first")
    func monthlyEntryAndCron() async throws {
        let database = try await TestDatabase.fresh("monthlyentry")
        try await database.withPool { pool in
            var configuration = SchedulerConfiguration()
            configuration.stalledAfterMonths = 4
            let monthly = configuration.monthlyEntry
            // The entry fires first for October 2026 (due 1 November, 02:00 Shanghai).
            let november = date("2026-11-01T02:00:00+08:00")
            guard case .fired(let ids) = try await PeriodicSchedule.fire(monthly, due: november, by: "scheduler@a", pool: pool) else {
                Issue.record("the due time did not fire")
                return
            }
            #expect(ids.count == MonthlyRun.kinds.count)
            let october = try await JobQueue(pool: pool).job(id: ids[MonthlyRun.kinds.firstIndex(of: ReportJobs.nameAndShame)!])
            #expect(october.argsJSON.contains(#""stalled_after_months": 4"#), "the configured threshold reaches the job: \(october.argsJSON)")
            let again = try await MonthlyRun.schedule(period: Period("2026-10")!, by: "cron@host", pool: pool)
            guard case .alreadyScheduled(_, let by) = again else {
                Issue.record("cron scheduled October twice")
                return
            }
            #expect(by == "scheduler@a")
            // Cron fires November first; the entry's due time then adds nothing.
            guard case .scheduled(let novemberIDs) = try await MonthlyRun.schedule(
                period: Period("2026-11")!, by: "cron@host", stalledAfterMonths: 3, pool: pool)
            else {
                Issue.record("cron did not schedule November")
                return
            }
            let notice = try await JobQueue(pool: pool).job(id: novemberIDs[MonthlyRun.kinds.firstIndex(of: ReportJobs.nameAndShame)!])
            #expect(notice.argsJSON.contains(#""stalled_after_months": 3"#), "the definition's key style: \(notice.argsJSON)")
            #expect(try await PeriodicSchedule.fire(monthly, due: date("2026-12-01T02:00:00+08:00"), by: "scheduler@a", pool: pool) == .fired(jobIDs: []))
            let count = try await pool.query("SELECT count(*) FROM rectify_jobs WHERE kind = ANY(\(MonthlyRun.kinds))")[0].decode(Int.self, at: 0)
            #expect(count == 2 * MonthlyRun.kinds.count)
            let status = try #require(try await PeriodicSchedule.list(configured: [monthly], now: date("2026-12-02T00:00:00Z"), pool: pool).first)
            #expect(status.entry.name == "monthly_run" && !status.registered)
            #expect(status.fires.map(\.jobs.count) == [4, 4], "each due time shows its period's jobs, whichever path enqueued them")
        }
    }
}
