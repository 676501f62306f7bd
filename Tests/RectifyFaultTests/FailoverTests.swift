import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import RectifyLocalCluster
import RectifyPostgres
import RectifyQueue
import RectifyTesting
import Synchronization
import Testing

/// The failover suite: `rectify serve` and two workers on a multi-host URL, under steady load
/// (submissions through the API, effect jobs, plain jobs and a monthly run), lose the primary
/// twice: pg_auto_failover promotes the standby, the lost node rejoins as the new standby, and
/// the second loss fails back to it. Then the database is checked: every acknowledged
/// submission and job is there and finished, every transactional effect exactly once, plain
/// jobs at least once (their repeats counted), nothing left running, and the API answered
/// only 202 or 503 in the error shape.
///
/// Needs root (the nodes run as the `postgres` account) and pg_auto_failover; skipped
/// otherwise. `RECTIFY_FAILOVER_ROUNDS` (default 2) sets how many times the primary is lost,
/// `RECTIFY_FAILOVER_REPORT` a file for the figures as JSON (RELIABILITY.md).
@Suite(
    "Failover", .wholeMachine, .serialized,
    .enabled(if: HACluster.available, "needs root and pg_auto_failover (postgresql-15-auto-failover); .ci/run installs it"))
struct FailoverTests {
    static let environment = ProcessInfo.processInfo.environment
    static let rounds = Int(environment["RECTIFY_FAILOVER_ROUNDS"] ?? "") ?? 2
    static let workerArguments = [
        "work", "--scheduler", "--lease", "3", "--heartbeat", "0.5", "--rescue-interval", "0.5",
        "--promote-interval", "0.2", "--retry-base", "0.2", "--poll", "0.5", "--grace", "3",
        "--queue", "default=8", "--queue", "reports=2", "--log-level", "info",
    ]

    @Test("the primary lost under load, then lost again to fail back: nothing acknowledged lost, effects once, only 503 while no primary")
    func failover() async throws {
        let cluster = try await HACluster.start()
        do {
            try await run(cluster)
        } catch {
            Issue.record(error)
        }
        do {
            try await cluster.destroy()
        } catch {
            Issue.record(error, "the cluster would not stop; its data is kept in \(cluster.directory)")
        }
    }

    private func run(_ cluster: HACluster) async throws {
        var figures = FailoverFigures()
        let url = cluster.url
        let migrate = try await RectifyProcess.run(["migrate"], database: url)
        try #require(migrate.status == 0, "\(migrate.output)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rectify-failover-\(getpid())")
        let visits = folder.appendingPathComponent("visits")
        try FileManager.default.createDirectory(at: visits, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = folder.appendingPathComponent("ledger.json")
        try SampleLedger.json().write(to: ledger)
        let imported = try await RectifyProcess.run(["import", ledger.path], database: url)
        try #require(imported.status == 0, "\(imported.output)")
        let office = try await RectifyProcess.run(["office", "add", "--region", "130100", "--name", "Shijiazhuang office"], database: url)
        let token = try #require(office.output.split(separator: "\n").first { $0.hasPrefix("token: ") }?.dropFirst(7), "\(office.output)")

        var poolSettings = PostgresPoolConfiguration()
        poolSettings.healthCheckAfterIdle = .zero
        poolSettings.maxConnections = 3
        let pool = PostgresPool(configuration: PostgresConfiguration(url: url), poolConfiguration: poolSettings, logger: TestLogging.logger)
        defer { Task { await pool.close() } }
        try await pool.query("""
            CREATE TABLE rectify_fault_effects (
                key text NOT NULL, job_id bigint NOT NULL, attempt integer NOT NULL, worker text NOT NULL,
                at timestamptz NOT NULL DEFAULT clock_timestamp())
            """)

        let port = try FreePort.find()
        let unlimited = ["RECTIFY_HTTP_RATE_LIMIT_PER_ADDRESS": "0", "RECTIFY_HTTP_RATE_LIMIT_PER_TOKEN": "0"]
        let server = try RectifyProcess(["serve", "--port", "\(port)", "--log-level", "info"], database: url, environment: unlimited)
        let fleet = try WorkerFleet(
            size: 2, arguments: Self.workerArguments, database: url, environment: ["RECTIFY_FAULT_VISITS": visits.path])
        let load = FailoverLoad(base: URL(string: "http://127.0.0.1:\(port)")!, token: String(token), pool: pool)
        try #require(await eventually { await load.ready() }, "rectify serve did not answer /readyz")
        let monthly = try await RectifyProcess.run(["schedule", "monthly", "--period", FailoverLoad.lastMonth], database: url)
        #expect(monthly.status == 0, "\(monthly.output)")

        let running = Task { await load.run() }
        func steady(_ duration: Duration) async throws {
            let end = ContinuousClock.now + duration
            while ContinuousClock.now < end {
                try fleet.supervise()
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        try await steady(.seconds(5))
        for round in 1...Self.rounds {
            let killed = ContinuousClock.now
            try await cluster.killPrimary()
            // The primary is gone: no submission is accepted again before the promotion.
            let before = load.snapshot()
            var failover = FailoverFigures.Round(round: round)
            failover.secondsWithoutPrimary = try await cluster.waitForPrimary()
            // Until the API accepts a submission and a worker completes a job again.
            var completedBefore: Int?
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline, failover.secondsToFirstSubmission == nil || failover.secondsToFirstCompletedJob == nil {
                if failover.secondsToFirstSubmission == nil, load.snapshot().accepted > before.accepted {
                    failover.secondsToFirstSubmission = FaultSuiteTests.seconds(killed.duration(to: .now))
                }
                if let completed = try? await pool.query("SELECT count(*) FROM rectify_finished_jobs")[0].decode(Int.self, at: 0) {
                    if let completedBefore, completed > completedBefore, failover.secondsToFirstCompletedJob == nil {
                        failover.secondsToFirstCompletedJob = FaultSuiteTests.seconds(killed.duration(to: .now))
                    }
                    completedBefore = completedBefore ?? completed
                }
                try await steady(.milliseconds(100))
            }
            #expect(failover.secondsToFirstSubmission != nil, "no submission accepted within 60 s of the promotion (round \(round))")
            #expect(failover.secondsToFirstCompletedJob != nil, "no job completed within 60 s of the promotion (round \(round))")
            try await steady(.seconds(4))
            failover.unavailableAnswers = load.snapshot().unavailable - before.unavailable
            figures.rounds.append(failover)
            try await cluster.rejoin()
            try await steady(.seconds(3))
        }
        load.stop()
        await running.value

        // Drain, then stop every process cleanly: the workers stayed up through both losses.
        let drained = try await eventually(timeout: .seconds(180), every: .milliseconds(500)) {
            try fleet.supervise()
            return try await pool.query("SELECT count(*) FROM rectify_jobs")[0].decode(Int.self, at: 0) == 0
        }
        #expect(drained, "the queue did not drain\n\(fleet.outputTails)")
        figures.workerDeaths = fleet.deaths
        #expect(fleet.deaths == 0, "a worker exited while the primary was lost\n\(fleet.outputTails)")
        let codes = try await fleet.stopAll()
        #expect(codes.allSatisfy { $0 == 0 }, "\(codes)\n\(fleet.outputTails)")
        server.send(SIGTERM)
        #expect(try await server.waitForExit() == 0, "\(server.output.suffix(800))")

        try await check(load.snapshot(), pool: pool, visits: visits, figures: &figures)
        figures.write()
        print("failover figures: \(figures)")
    }

    private func check(_ load: FailoverLoad.Snapshot, pool: PostgresPool, visits: URL, figures: inout FailoverFigures) async throws {
        figures.submissionsAcknowledged = load.acceptedIDs.count
        figures.jobsAcknowledged = load.effectKeys.count + load.visitKeys.count
        figures.answers = load.answers
        #expect(load.acceptedIDs.count > 0 && load.effectKeys.count > 0)
        #expect(Set(load.answers.keys).isSubset(of: ["202", "503"]), "\(load.answers)")
        #expect(load.unshapedErrors == 0, "a 503 without the error shape")

        // Every submission the API acknowledged has its row, and its job finished.
        let stored = try await pool.query("""
            SELECT s.submission_id, f.state FROM rectify_progress_submissions s
            LEFT JOIN rectify_finished_jobs f ON f.id = s.job_id
            """).map { try $0.decode((String, String?).self) }
        let states = Dictionary(stored.map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
        figures.submissionsLost = load.acceptedIDs.count { states[$0] == nil }
        #expect(figures.submissionsLost == 0, "acknowledged submissions without a row")
        // Applied, or cancelled because a later submission for the task superseded it.
        let unfinished = load.acceptedIDs.filter { id in !["completed", "cancelled"].contains(states[id].flatMap { $0 } ?? "none") }
        #expect(unfinished.isEmpty, "submissions whose apply job did not finish as designed: \(unfinished.prefix(5))")
        // Every job of every kind (the monthly run's reports among them) finished as designed.
        let outcomes = try await pool.query("SELECT kind, state, count(*) FROM rectify_finished_jobs GROUP BY kind, state")
            .map { try $0.decode((String, String, Int).self) }
        let wrong = outcomes.filter { $0.1 != "completed" && !($0.0 == "apply_progress" && $0.1 == "cancelled") }
        #expect(wrong.isEmpty, "\(wrong)")
        #expect(outcomes.contains { $0.0 == "monthly_schedule" && $0.1 == "completed" }, "\(outcomes)")

        // Every acknowledged job finished; transactional effects exactly once; plain jobs at least once.
        let finished = try await pool.query("""
            SELECT args->>'key', state FROM rectify_finished_jobs WHERE kind IN ('fault_effect', 'fault_visit')
            """).map { try $0.decode((String, String).self) }
        let jobStates = Dictionary(finished.map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
        figures.jobsLost = (load.effectKeys + load.visitKeys).count { jobStates[$0] == nil }
        #expect(figures.jobsLost == 0)
        #expect(jobStates.values.allSatisfy { $0 == "completed" }, "\(jobStates.filter { $0.value != "completed" }.prefix(5))")
        let effects = Dictionary(uniqueKeysWithValues: try await pool.query(
            "SELECT key, count(*) FROM rectify_fault_effects GROUP BY key").map { try $0.decode((String, Int).self) })
        figures.effectsLost = load.effectKeys.count { effects[$0] == nil }
        figures.effectsDuplicated = effects.values.count { $0 > 1 }
        #expect(figures.effectsLost == 0)
        #expect(figures.effectsDuplicated == 0, "\(effects.filter { $0.value > 1 }.prefix(5))")
        var runs: [String: Int] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: visits.path) {
            let text = try String(contentsOf: visits.appendingPathComponent(file), encoding: .utf8)
            for key in text.split(separator: "\n") { runs[String(key), default: 0] += 1 }
        }
        figures.plainJobsNeverRun = load.visitKeys.count { runs[$0] == nil }
        figures.plainJobsRepeated = runs.values.count { $0 > 1 }
        #expect(figures.plainJobsNeverRun == 0)

        let (running, live) = try await pool.query(
            "SELECT count(*) FILTER (WHERE state = 'running'), count(*) FROM rectify_jobs")[0].decode((Int, Int).self)
        figures.runningLeft = running
        #expect(running == 0 && live == 0)
    }
}

/// What a failover run did and found, printed and written as JSON to
/// `RECTIFY_FAILOVER_REPORT` when set.
struct FailoverFigures: Codable, CustomStringConvertible {
    struct Round: Codable {
        var round: Int
        /// From the kill until the new primary took a write (`.ci/ha-cluster wait-primary`).
        var secondsWithoutPrimary: Double?
        /// From the kill until the API accepted a submission, and until a worker completed a job.
        var secondsToFirstSubmission: Double?
        var secondsToFirstCompletedJob: Double?
        var unavailableAnswers = 0
    }

    var rounds: [Round] = []
    var submissionsAcknowledged = 0
    var submissionsLost = 0
    var jobsAcknowledged = 0
    var jobsLost = 0
    var effectsLost = 0
    var effectsDuplicated = 0
    var plainJobsNeverRun = 0
    var plainJobsRepeated = 0
    var runningLeft = 0
    var workerDeaths = 0
    var answers: [String: Int] = [:]

    var description: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "?"
    }

    func write() {
        guard let path = ProcessInfo.processInfo.environment["RECTIFY_FAILOVER_REPORT"], !path.isEmpty else { return }
        try? Data(description.utf8).write(to: URL(fileURLWithPath: path))
    }
}

/// The steady load of a failover run: four clients sending progress through the API, and one
/// enqueuing effect and plain jobs through its own pool; each keeps what was acknowledged.
final class FailoverLoad: Sendable {
    struct Snapshot {
        var acceptedIDs: [String] = []
        var effectKeys: [String] = []
        var visitKeys: [String] = []
        var answers: [String: Int] = [:]
        var unshapedErrors = 0
        var accepted: Int { acceptedIDs.count }
        var unavailable: Int { answers["503"] ?? 0 }
    }

    /// The month before this one, in the province's time zone: the monthly run's period.
    static let lastMonth: String = month(offset: -1)
    private static let thisMonth: String = month(offset: 0)

    private let base: URL
    private let token: String
    private let pool: PostgresPool
    private let state = Mutex(Snapshot())
    private let stopped = Atomic<Bool>(false)

    init(base: URL, token: String, pool: PostgresPool) {
        self.base = base
        self.token = token
        self.pool = pool
    }

    func snapshot() -> Snapshot { state.withLock { $0 } }
    func stop() { stopped.store(true, ordering: .relaxed) }

    func ready() async -> Bool {
        var request = URLRequest(url: base.appendingPathComponent("readyz"))
        request.timeoutInterval = 5
        guard let (_, response) = try? await URLSession.shared.data(for: request) else { return false }
        return (response as? HTTPURLResponse)?.statusCode == 200
    }

    func run() async {
        await withTaskGroup(of: Void.self) { group in
            for client in 0..<4 { group.addTask { await self.submit(client: client) } }
            group.addTask { await self.enqueue() }
        }
    }

    private func submit(client: Int) async {
        var n = 0
        while !stopped.load(ordering: .relaxed) {
            n += 1
            let id = "failover-\(client)-\(n)"
            var request = URLRequest(url: base.appendingPathComponent("v1/progress"))
            request.httpMethod = "POST"
            request.timeoutInterval = 30
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            request.httpBody = Data(#"""
                {"submission_id":"\#(id)","task":"CEI2-HE-001","period":"\#(Self.thisMonth)","progress":\#(40 + n % 50),"status":"in_progress","summary":"failover"}
                """#.utf8)
            let answer = try? await URLSession.shared.data(for: request)
            let status = (answer?.1 as? HTTPURLResponse)?.statusCode
            let shaped = answer.map { (try? JSONSerialization.jsonObject(with: $0.0) as? [String: Any])?["error"] is [String: Any] } ?? false
            state.withLock { load in
                load.answers[status.map { "\($0)" } ?? "no answer", default: 0] += 1
                if status == 202 { load.acceptedIDs.append(id) }
                if let status, status >= 500, !shaped { load.unshapedErrors += 1 }
            }
            if status != 202 { try? await Task.sleep(for: .milliseconds(100)) }
        }
    }

    private func enqueue() async {
        let queue = JobQueue(pool: pool)
        var n = 0
        while !stopped.load(ordering: .relaxed) {
            n += 1
            let effects = (0..<4).map { "e-\(n)-\($0)" }
            let visit = "v-\(n)"
            do {
                let requests = try effects.map { try JobRequest(kind: "fault_effect", argsJSON: #"{"key": "\#($0)", "sleep_ms": 20}"#, maxAttempts: 100) }
                    + [try JobRequest(kind: "fault_visit", argsJSON: #"{"key": "\#(visit)"}"#, maxAttempts: 100)]
                _ = try await queue.enqueue(requests)
                state.withLock { load in
                    load.effectKeys += effects
                    load.visitKeys.append(visit)
                }
                try await Task.sleep(for: .milliseconds(50))
            } catch {
                // Unacknowledged: the jobs may or may not exist, and the checks only count them once.
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    private static func month(offset: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let date = calendar.date(byAdding: .month, value: offset, to: Date())!
        let parts = calendar.dateComponents([.year, .month], from: date)
        return String(format: "%04d-%02d", parts.year!, parts.month!)
    }
}
