import Foundation
import RectifyPostgres
import RectifySchedule
import RectifyTesting
import Testing

@Suite("Firing the monthly run exactly once", .processes)
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
        #expect(listed.output.contains(#""name":"monthly_run""#) && listed.output.contains(#""cron":"0 2 1 * *""#), "\(listed.output)")
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
            let entry = SchedulerConfiguration().monthlyEntry
            let due = MonthlyRun.period(due: entry.cron.latest(atOrBefore: Date())!, in: entry.cron.timeZone)
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
            #expect(try await eventually { second.output.contains("became the scheduling leader") }, "\(second.output)")
            let fires = try await pool.query("SELECT count(*) FROM rectify_periodic_fires WHERE entry = 'monthly_run'")[0]
            #expect(try fires.decode(Int.self, at: 0) == 1, "the monthly entry's due time fired once")
            #expect(try await monthJobs("\(due)", pool) == 4, "the new leader fired the month again, and nothing was added")
            second.send(SIGTERM)
            #expect(try await second.waitForExit() == 0)
            #expect(try await holder() == nil, "a leader that stops gives the lease up")
        }
    }

    @Test("`schedule list` shows the monthly entry and the other entries from the configuration file, and what they fired")
    func listFromConfiguration() async throws {
        let database = try await TestDatabase.fresh("schedulelist")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rectify-schedule-\(UUID().uuidString).yaml").path
        try """
            scheduler:
              day: 5
              time: "03:30"
              time_zone: Asia/Shanghai
              entries:
                every_minute:
                  cron: "* * * * *"
                  time_zone: Asia/Shanghai
                  kind: noop
                  args: {note: periodic}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let environment = ["RECTIFY_CONFIG": file, "RECTIFY_SCHEDULER_INTERVAL_SECONDS": "0.2", "RECTIFY_WORKER_QUEUES": "idle=1"]
        let before = try await RectifyProcess.run(["schedule", "list"], database: database.url, environment: environment)
        #expect(before.status == 0)
        #expect(before.output.contains("monthly_run  30 3 5 * * (Asia/Shanghai)  monthly_run on reports  [not registered by a scheduler yet"), "\(before.output)")
        #expect(before.output.contains("T03:30:00+08:00"), "the monthly run's next due time, in its own zone: \(before.output)")
        #expect(before.output.contains("every_minute  * * * * * (Asia/Shanghai)  noop on default"), "\(before.output)")
        let worker = try RectifyProcess(["work", "--scheduler", "--worker-id", "lister"], database: database.url, environment: environment)
        let fired = try await database.withPool { pool in
            try await eventually {
                try await pool.query("SELECT count(*) FROM rectify_periodic_fires")[0].decode(Int.self, at: 0) == 2
            }
        }
        #expect(fired, "\(worker.output)")
        worker.send(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
        let after = try await RectifyProcess.run(["schedule", "list", "--json"], database: database.url, environment: environment)
        #expect(after.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(after.output.utf8)) as? [String: Any], "\(after.output)")
        let entries = try #require(document["entries"] as? [[String: Any]])
        #expect(entries.map { $0["name"] as? String } == ["monthly_run", "every_minute"])
        #expect(entries.allSatisfy { $0["registered"] as? Bool == true && $0["last_due"] is String && $0["next_due"] is String })
        let minuteJobs = ((entries[1]["fires"] as? [[String: Any]])?.first?["jobs"] as? [[String: Any]]) ?? []
        #expect(minuteJobs.count == 1 && minuteJobs[0]["state"] is String, "\(after.output)")
        let monthJobs = ((entries[0]["fires"] as? [[String: Any]])?.first?["jobs"] as? [[String: Any]]) ?? []
        #expect(monthJobs.count == 4, "\(after.output)")
    }
}
