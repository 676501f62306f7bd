import Foundation
import RectifyPostgres
import RectifySchedule
import RectifyTesting
import Testing

@Suite("Firing the monthly run exactly once")
struct ScheduleTests {
    /// Jobs of the month's four kinds for `period`, live or finished.
    private func monthJobs(_ period: String, _ pool: PostgresPool) async throws -> Int {
        try await pool.query("""
            SELECT (SELECT count(*) FROM rectify_jobs WHERE kind = ANY(\(MonthlyRun.kinds)) AND args->>'period' = \(period))
                 + (SELECT count(*) FROM rectify_finished_jobs WHERE kind = ANY(\(MonthlyRun.kinds)) AND args->>'period' = \(period))
            """)[0].decode(Int.self, at: 0)
    }

    @Test("eight `schedule monthly` processes at once enqueue one set; the others say it was scheduled")
    func concurrentFiring() async throws {
        let database = try await TestDatabase.fresh("schedule")
        let processes = try (0..<8).map { _ in try RectifyProcess(["schedule", "monthly", "--period", "2026-10"], database: database.url) }
        var outputs: [String] = []
        for process in processes {
            #expect(try await process.waitForExit() == 0, "\(process.output)")
            outputs.append(process.output)
        }
        #expect(outputs.filter { $0.contains("scheduled 2026-10: monthly_schedule #") }.count == 1, "\(outputs)")
        #expect(outputs.filter { $0.contains("2026-10 was already scheduled at") }.count == 7, "\(outputs)")
        try await database.withPool { pool in
            #expect(try await monthJobs("2026-10", pool) == 4)
            let runs = try await pool.query("SELECT count(*), count(job_id) FROM rectify_scheduled_runs WHERE period = '2026-10'")[0]
            #expect(try runs.decode((Int, Int).self) == (4, 4))
        }
        let listed = try await RectifyProcess.run(["schedule", "list", "--json"], database: database.url)
        #expect(listed.status == 0)
        #expect(listed.output.contains(#""period":"2026-10""#) && listed.output.contains(#""kind":"name_and_shame""#), "\(listed.output)")
        let bad = try await RectifyProcess.run(["schedule", "monthly", "--period", "2026-13"], database: database.url)
        #expect(bad.status != 0 && bad.output.contains(#"--period: "2026-13" is not a month YYYY-MM"#))
        let future = try await RectifyProcess.run(["schedule", "monthly", "--period", "2099-01"], database: database.url)
        #expect(future.status != 0 && future.output.contains("--period: 2099-01 has not ended yet (it is "), "\(future.output)")
        let malformed = try await RectifyProcess.run(["enqueue", "monthly_schedule", "--args", #"{"period":"2026-13"}"#], database: database.url)
        #expect(malformed.status != 0 && malformed.output.contains(#"--args: period "2026-13" is not a month YYYY-MM"#), "\(malformed.output)")
        let early = try await RectifyProcess.run(["enqueue", "name_and_shame", "--args", #"{"period":"2099-01"}"#], database: database.url)
        #expect(early.status != 0 && early.output.contains("--args: period 2099-01 has not ended yet"), "\(early.output)")
        try await database.withPool { pool in
            let enqueued = try await pool.query("SELECT count(*) FROM rectify_jobs WHERE args->>'period' IN ('2099-01', '2026-13')")[0]
            #expect(try enqueued.decode(Int.self, at: 0) == 0, "nothing was enqueued")
        }
    }

    @Test("two schedulers: one leads; when it is killed the other takes over, and the month is scheduled once")
    func leaderTakeover() async throws {
        let database = try await TestDatabase.fresh("leader")
        let fast = ["RECTIFY_SCHEDULER_INTERVAL_SECONDS": "0.2", "RECTIFY_SCHEDULER_LEASE_SECONDS": "2", "RECTIFY_WORKER_QUEUES": "default=1"]
        try await database.withPool { pool in
            func holder() async throws -> String? {
                try await pool.query("SELECT holder FROM rectify_scheduler_lease").first?.decode(String.self, at: 0)
            }
            let due = MonthlyScheduler.latestDuePeriod(at: Date(), MonthlyScheduler.Configuration())
            let first = try RectifyProcess(["work", "--scheduler", "--worker-id", "first"], database: database.url, environment: fast)
            let led = try await eventually {
                let leader = try await holder()
                let jobs = try await monthJobs("\(due)", pool)
                return leader == "first" && jobs == 4
            }
            #expect(led, "\(first.output)")
            let second = try RectifyProcess(["work", "--scheduler", "--worker-id", "second"], database: database.url, environment: fast)
            try await Task.sleep(for: .seconds(1))
            #expect(try await holder() == "first", "the lease stays with a live leader")

            first.send(SIGKILL)
            _ = try await first.waitForExit()
            #expect(try await eventually(timeout: .seconds(10)) { try await holder() == "second" }, "\(second.output)")
            #expect(try await eventually { second.output.contains("the monthly run is already scheduled") }, "\(second.output)")
            #expect(second.output.contains("became the scheduling leader"))
            #expect(try await monthJobs("\(due)", pool) == 4, "the new leader fired the month again, and nothing was added")
            second.send(SIGTERM)
            #expect(try await second.waitForExit() == 0)
            #expect(try await holder() == nil, "a leader that stops gives the lease up")
        }
    }
}
