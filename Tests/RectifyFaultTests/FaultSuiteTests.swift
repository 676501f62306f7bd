import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import RectifyLocalCluster
import RectifyPostgres
import RectifyQueue
import RectifySchedule
import RectifyTesting
import Testing

/// The fault suite: real `rectify work` processes, `rectify serve` and cron-like
/// `rectify schedule monthly` on a PostgreSQL of the test's own, with workers killed and paused,
/// the server restarted (fast and immediate), poison jobs and timeouts; then the database is
/// checked: every effect exactly once, every job finished as designed, nothing left running.
///
/// Short by default (for CI). Longer on demand with the environment:
/// `RECTIFY_FAULT_JOBS` (effect jobs, default 3000), `RECTIFY_FAULT_MIN_SECONDS` (keep injecting
/// faults at least this long, default one cycle), `RECTIFY_FAULT_WORKERS` (default 3) and
/// `RECTIFY_FAULT_REPORT` (write the figures as JSON there).
@Suite("Fault suite", .wholeMachine, .serialized)
struct FaultSuiteTests {
    static let environment = ProcessInfo.processInfo.environment
    static let effectJobs = Int(environment["RECTIFY_FAULT_JOBS"] ?? "") ?? 3000
    static let minimumSeconds = Double(environment["RECTIFY_FAULT_MIN_SECONDS"] ?? "") ?? 0
    static let workers = Int(environment["RECTIFY_FAULT_WORKERS"] ?? "") ?? 3
    static let lease = 2.0
    static let period = "2026-10"
    /// Jobs that sleep past their 1-s timeout in every attempt, until discarded.
    static let timeoutJobs = 2

    /// Worker flags: a short lease so that faults resolve within seconds.
    static let workerArguments = [
        "work", "--scheduler", "--lease", "\(lease)", "--heartbeat", "0.4", "--rescue-interval", "0.5",
        "--promote-interval", "0.2", "--retry-base", "0.2", "--poll", "0.5", "--grace", "3",
        "--queue", "default=8", "--queue", "reports=2", "--log-level", "info",
    ]
    /// A server-side limit on a paused worker's open transaction, and a quick scheduler.
    static let workerEnvironment = [
        "RECTIFY_DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS": "10",
        "RECTIFY_SCHEDULER_INTERVAL_SECONDS": "0.5",
    ]

    enum Fault: CaseIterable {
        case kill, pause, longPause, cron, restartFast, restartImmediate
    }

    /// The faults in order, repeated until the queue drained. Long runs also pause a worker past
    /// the server's idle-in-transaction limit (10 s here), so the server ends its session.
    static let cycle: [Fault] = [.kill, .pause, .cron, .restartFast, .kill, .restartImmediate, .kill, .pause]
        + (minimumSeconds > 0 ? [.longPause] : [])

    @Test("workers killed and paused, the server restarted, poison and cron: every effect exactly once")
    func chaos() async throws {
        let cluster = try await PrivateTestCluster.start()
        do {
            try await runChaos(cluster)
        } catch {
            Issue.record(error)
        }
        await cluster.destroy()
    }

    private func runChaos(_ cluster: PrivateTestCluster) async throws {
        let started = ContinuousClock.now
        var figures = FaultFigures()
        let url = try cluster.configuration.conninfo()
        let migrate = try await RectifyProcess.run(["migrate"], database: url)
        try #require(migrate.status == 0, "\(migrate.output)")
        var poolSettings = PostgresPoolConfiguration()
        poolSettings.healthCheckAfterIdle = .zero
        poolSettings.maxConnections = 4
        let pool = PostgresPool(configuration: cluster.configuration, poolConfiguration: poolSettings, logger: TestLogging.logger)
        defer { Task { await pool.close() } }
        try await pool.query("""
            CREATE TABLE rectify_fault_effects (
                key text NOT NULL, job_id bigint NOT NULL, attempt integer NOT NULL, worker text NOT NULL,
                at timestamptz NOT NULL DEFAULT clock_timestamp())
            """)

        // The work: effect jobs of 50–250 ms, a few longer than three leases, and poison.
        var generator = SystemRandomNumberGenerator()
        var requests: [JobRequest] = []
        for n in 0..<Self.effectJobs {
            requests.append(try JobRequest(
                kind: "fault_effect", argsJSON: #"{"key": "e-\#(n)", "sleep_ms": \#(Int.random(in: 50...250, using: &generator))}"#,
                maxAttempts: 100))
        }
        let longJobs = 4
        for n in 0..<longJobs {
            requests.append(try JobRequest(
                kind: "fault_effect", argsJSON: #"{"key": "l-\#(n)", "sleep_ms": \#(Int(Self.lease * 3000))}"#, maxAttempts: 100))
        }
        let poison = [
            (kind: "fault_fail", args: "{}", attempts: Int32(3), count: 5),
            (kind: "fault_crash", args: "{}", attempts: Int32(2), count: 2),
            (kind: "fault_effect", args: #"{"key": 5}"#, attempts: Int32(20), count: 5),
        ]
        for entry in poison {
            for _ in 0..<entry.count {
                requests.append(try JobRequest(kind: entry.kind, argsJSON: entry.args, maxAttempts: entry.attempts))
            }
        }
        for n in 0..<Self.timeoutJobs {
            requests.append(try JobRequest(
                kind: "fault_effect", argsJSON: #"{"key": "t-\#(n)", "sleep_ms": 60000}"#, maxAttempts: 2, timeout: .seconds(1)))
        }
        requests.shuffle()
        _ = try await JobQueue(pool: pool).enqueue(requests)
        figures.jobsEnqueued = requests.count
        figures.effectJobs = Self.effectJobs + longJobs
        figures.poisonJobs = poison.reduce(0) { $0 + $1.count }

        let port = try FreePort.find()
        let server = try RectifyProcess(["serve", "--port", "\(port)"], database: url)
        let fleet = try WorkerFleet(
            size: Self.workers, arguments: Self.workerArguments, database: url, environment: Self.workerEnvironment)

        // Inject faults, one every couple of seconds, until the queue drained and the cycle ran.
        func tick(_ duration: Duration) async throws {
            let end = ContinuousClock.now + duration
            while ContinuousClock.now < end {
                try fleet.supervise()
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        func liveJobs() async -> Int? {
            try? await pool.query("SELECT count(*) FROM rectify_jobs")[0].decode(Int.self, at: 0)
        }
        func completed() async -> Int? {
            try? await pool.query("SELECT count(*) FROM rectify_finished_jobs WHERE state = 'completed'")[0].decode(Int.self, at: 0)
        }
        let base = URL(string: "http://127.0.0.1:\(port)")!
        func probeAPI() async -> String {
            var request = URLRequest(url: base.appendingPathComponent("readyz"))
            request.timeoutInterval = 5
            guard let (_, response) = try? await URLSession.shared.data(for: request), let http = response as? HTTPURLResponse
            else { return "no answer" }
            return "\(http.statusCode)"
        }
        func restart(immediately: Bool) async throws {
            let down = ContinuousClock.now
            if immediately { try await cluster.crashServer() } else { try await cluster.stopServer() }
            for _ in 0..<3 {
                let status = await probeAPI()
                figures.apiStatusesWhileDown[status, default: 0] += 1
                try await tick(.milliseconds(300))
            }
            try await cluster.startServer()
            let up = ContinuousClock.now
            figures.downSeconds.append(Self.seconds(down.duration(to: up)))
            // Recovery: until the workers complete a job again (bounded; a drained queue ends it).
            var before: Int?
            while before == nil && up.duration(to: .now) < .seconds(30) {
                before = await completed()
                if before == nil { try await tick(.milliseconds(50)) }
            }
            var recovered = false
            while let before, up.duration(to: .now) < .seconds(60) {
                if let now = await completed(), now > before {
                    recovered = true
                    break
                }
                if await liveJobs() == 0 { break }
                try await tick(.milliseconds(100))
            }
            // A restart after the queue drained has nothing to recover; only the others count.
            if recovered { figures.recoverySeconds.append(Self.seconds(up.duration(to: .now))) }
            if immediately { figures.restartsImmediate += 1 } else { figures.restartsFast += 1 }
        }

        var step = 0
        while true {
            let drained = await liveJobs() == 0
            if drained && figures.drainedAfterSeconds == nil {
                figures.drainedAfterSeconds = Self.seconds(started.duration(to: .now))
            }
            let longEnough = started.duration(to: .now) >= .seconds(Self.minimumSeconds)
            if drained && step >= Self.cycle.count && longEnough { break }
            if started.duration(to: .now) > .seconds(max(600, Self.minimumSeconds * 2)) {
                Issue.record("the queue did not drain: \(await liveJobs() ?? -1) live jobs\n\(fleet.outputTails)")
                break
            }
            switch Self.cycle[step % Self.cycle.count] {
            case .kill:
                if let victim = fleet.live.randomElement() {
                    victim.send(SIGKILL)
                    figures.workersKilled += 1
                }
            case .pause, .longPause:
                if let victim = fleet.live.randomElement() {
                    victim.send(SIGSTOP)
                    try await Task.sleep(for: .seconds(Self.cycle[step % Self.cycle.count] == .pause ? Self.lease + 1.5 : 15))
                    victim.send(SIGCONT)
                    figures.workersPaused += 1
                }
            case .cron where figures.cronFirings == 0:
                // Eight cron lines firing the same month at once, while the scheduler may fire it too.
                let firings = try (0..<8).map { _ in
                    try RectifyProcess(["schedule", "monthly", "--period", Self.period], database: url)
                }
                for firing in firings {
                    let status = try await firing.waitForExit()
                    #expect(status == 0, "\(firing.output)")
                }
                figures.cronFirings = firings.count
            case .cron:
                break
            case .restartFast:
                try await restart(immediately: false)
            case .restartImmediate:
                try await restart(immediately: true)
            }
            step += 1
            try await tick(.seconds(2))
        }
        figures.runSeconds = Self.seconds(started.duration(to: .now))

        // Every process is still answering: the API, and the workers stop cleanly.
        #expect(await probeAPI() == "200")
        figures.workerDeaths = fleet.deaths
        figures.workersReplaced = fleet.replacements
        figures.workerExitCodes = try await fleet.stopAll()
        figures.leaseLostHandlersCancelled = fleet.lines(containing: "job handler cancelled: its lease was taken over")
        figures.completionsRefused = fleet.lines(containing: "completion was refused")
            + fleet.lines(containing: "job lease was taken over while it ran")
        #expect(figures.workerExitCodes.allSatisfy { $0 == 0 }, "\(fleet.outputTails)")
        server.send(SIGTERM)
        #expect(try await server.waitForExit() == 0, "\(server.output.suffix(800))")

        try await check(pool: pool, figures: &figures)
        figures.write()
        print("fault run figures: \(figures)")
    }

    private func check(pool: PostgresPool, figures: inout FaultFigures) async throws {
        // Every effect exactly once.
        let effects = try await pool.query("SELECT key, count(*) FROM rectify_fault_effects GROUP BY key").map {
            try $0.decode((String, Int).self)
        }
        let counts = Dictionary(uniqueKeysWithValues: effects)
        let expected = (0..<Self.effectJobs).map { "e-\($0)" } + (0..<4).map { "l-\($0)" }
        figures.effectsExpected = expected.count
        figures.effectsFound = counts.values.reduce(0, +)
        figures.effectsLost = expected.count { counts[$0] == nil }
        figures.effectsDuplicated = counts.values.count { $0 > 1 }
        #expect(figures.effectsLost == 0)
        #expect(figures.effectsDuplicated == 0, "\(counts.filter { $0.value > 1 }.prefix(5))")
        #expect(counts.keys.allSatisfy { !$0.hasPrefix("t-") }, "a timed-out attempt's effect was committed")

        // Every job finished as designed; nothing left running.
        let (running, live) = try await pool.query(
            "SELECT count(*) FILTER (WHERE state = 'running'), count(*) FROM rectify_jobs")[0].decode((Int, Int).self)
        figures.runningLeft = running
        figures.liveJobsLeft = live
        #expect(running == 0 && live == 0)
        let finished = try await pool.query("""
            SELECT kind, CASE WHEN args ? 'key' THEN left(args->>'key', 2) ELSE '' END, jsonb_typeof(args->'key'), state,
                   count(*), max(attempt), bool_and(attempt = max_attempts),
                   -- Each failed attempt timed out, or was lost with a worker the suite killed or paused.
                   -- A group whose jobs never failed has no errors to check: true, not NULL.
                   coalesce(bool_and((SELECT bool_and(e->>'error' LIKE '%timed out after%' OR e->>'error' LIKE '%stopped renewing its lease%')
                                      FROM jsonb_array_elements(errors) AS e)), true),
                   bool_and(jsonb_array_length(errors) > 0),
                   -- Every attempt before the last was lost with a worker the suite killed or paused.
                   coalesce(bool_and((SELECT bool_and(x.e->>'error' LIKE '%stopped renewing its lease%')
                                      FROM jsonb_array_elements(errors) WITH ORDINALITY AS x(e, n)
                                      WHERE x.n < jsonb_array_length(errors))), true)
            FROM rectify_finished_jobs WHERE kind LIKE 'fault_%'
            GROUP BY 1, 2, 3, 4
            """).map { try $0.decode((String, String, String?, String, Int, Int32, Bool, Bool, Bool, Bool).self) }
        for (kind, prefix, keyType, state, count, maxAttempt, exhausted, timedOut, everyJobFailed, onlyLostBefore) in finished {
            switch (kind, prefix, keyType) {
            case ("fault_effect", "e-", "string"), ("fault_effect", "l-", "string"):
                #expect(state == "completed", "\(count) effect jobs \(state)")
                figures.maxAttemptsOfEffectJobs = max(figures.maxAttemptsOfEffectJobs, Int(maxAttempt))
            case ("fault_effect", "t-", "string"):
                #expect(state == "discarded" && exhausted && everyJobFailed && timedOut, "timeout jobs: \(state)")
                if state == "discarded" { figures.timedOutJobsDiscarded += count }
            case ("fault_effect", _, "number"):
                // Discarded at its first decode; an earlier attempt only when the worker holding it was
                // killed or paused before it could decode (the rescue then counts an attempt).
                #expect(state == "discarded" && (maxAttempt == 1 || onlyLostBefore), "undecodable: \(state) after \(maxAttempt)")
                if state == "discarded" { figures.poisonDiscardedAsDesigned += count }
            case ("fault_fail", _, _), ("fault_crash", _, _):
                #expect(state == "discarded" && exhausted, "\(kind): \(state)")
                if state == "discarded" { figures.poisonDiscardedAsDesigned += count }
            default:
                Issue.record("unexpected finished jobs: \(kind) \(prefix) \(state) ×\(count)")
            }
        }
        #expect(figures.poisonDiscardedAsDesigned == figures.poisonJobs)
        #expect(figures.timedOutJobsDiscarded == Self.timeoutJobs)

        // The month ran once, however often it was fired.
        let (runs, jobs, done) = try await pool.query("""
            SELECT (SELECT count(*) FROM rectify_scheduled_runs WHERE period = \(Self.period)),
                   (SELECT count(*) FROM rectify_finished_jobs WHERE args->>'period' = \(Self.period)),
                   (SELECT count(*) FROM rectify_finished_jobs WHERE args->>'period' = \(Self.period) AND state = 'completed')
            """)[0].decode((Int, Int, Int).self)
        figures.monthlyRunSets = jobs / max(1, MonthlyRun.kinds.count)
        #expect(runs == MonthlyRun.kinds.count && jobs == MonthlyRun.kinds.count && done == jobs)
    }

    static func seconds(_ duration: Duration) -> Double {
        ((Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18) * 1000).rounded() / 1000
    }
}
