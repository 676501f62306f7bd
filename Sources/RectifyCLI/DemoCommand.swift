import ArgumentParser
import Foundation
import Logging
import RectifyAPI
import RectifyConfig
import RectifyDomain
import RectifyLedger
import RectifyPostgres
import RectifyProgress
import RectifyQueue
import RectifyReports
import RectifySchedule
import RectifyWorker
import ServiceLifecycle

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a month of the programme on a demo province, through the queue, with real workers.",
        discussion: """
            Starts (or reuses) the embedded PostgreSQL cluster, migrates it, loads a generated province \
            (12 cities, ~150 counties, 420 tasks, 3,600 petitions, 48 accountability cases), submits a month \
            of progress for most offices through POST /v1/progress on a loopback port, enqueues the month's scheduling, naming and tallying jobs, runs \
            two workers until they are done, and writes the reports to files.
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The month to run (YYYY-MM); default the month that just ended in the configured time zone (Asia/Shanghai).") var period: String?
    @Option(help: "Folder for the report files.") var out: String = "reports"
    @Option(help: "Labels in Chinese (zh) or English (en).") var lang: String = "zh"

    func run() async throws {
        guard let language = ReportLanguage(rawValue: lang) else { throw CommandError("--lang: \"\(lang)\" is not zh or en") }
        let month = try Period.option(period, defaultIn: try database.settings().scheduler.timeZone)
        var logging = database
        if logging.logLevel == .info { logging.logLevel = .warning }
        let logger = logging.makeLogger()
        let started = ContinuousClock.now
        try await database.withPool(logger: logger) { pool in
            _ = try await Schema.migrate(pool, logger: logger)
            let settings = try database.settings()
            var api = APIServer.Settings(
                host: "127.0.0.1", port: 0, workerLease: settings.worker.lease, timeZone: settings.scheduler.timeZone)
            api.bodyLimitBytes = settings.httpBodyLimitBytes
            let demo = MonthlyDemo(pool: pool, period: month, logger: logger, api: api)
            let ledger = DemoProvince.ledger()
            let imported = try await LedgerImporter(pool: pool, logger: logger).importLedger(ledger)
            print("ledger   \(ledger.regions.count) regions, \(ledger.units.count) units, \(ledger.rounds.count) rounds, "
                + "\(ledger.tasks.count) tasks, \(ledger.petitions.count) petitions, \(ledger.accountability.count) accountability cases"
                + (imported.changedNothing ? " (already loaded)" : ""))
            let (offices, reported, accepted, repeated) = try await demo.submitProgress()
            print("offices  \(offices) offices; \(reported) reported progress for \(month) through POST /v1/progress "
                + "(\(accepted) submissions accepted\(repeated > 0 ? ", \(repeated) already received on an earlier run" : ""))")
            let jobs = try await demo.runMonth()
            print("jobs     " + jobs.map { "\($0.kind) #\($0.id) \($0.state.rawValue)" }.joined(separator: ", "))
            let written = try await demo.writeReports(to: URL(fileURLWithPath: out), language: language)
            try await demo.printHeadlines()
            print("reports")
            for path in written { print("  \(path)") }
        }
        print(String(format: "done in %.1f s", started.duration(to: .now).secondsDouble))
    }
}

/// The steps of the demo month, on the demo database.
struct MonthlyDemo {
    let pool: PostgresPool
    let period: Period
    let logger: Logger
    /// The API the demo's offices submit through (on a loopback port of its own).
    let api: APIServer.Settings

    /// Creates an office per city and county once, then has six in seven offices report on the
    /// open tasks of their region through the API, as the offices do: for most tasks three months
    /// of rising progress, for one in five the same figure three months running, so that the
    /// notice finds stalled work.
    func submitProgress() async throws -> (offices: Int, reported: Int, accepted: Int, repeated: Int) {
        let registry = OfficeRegistry(pool: pool)
        if try await registry.list().isEmpty {
            for region in try await pool.query("SELECT code, name FROM rectify_regions WHERE level <> 'province' ORDER BY code") {
                let (code, name) = try region.decode((String, String).self)
                _ = try await registry.add(region: code, name: "\(name) Rectification Office", role: nil)
            }
        }
        var submissions: [DemoSubmission] = []
        for (offset, month) in [(2, period.previous.previous), (1, period.previous), (0, period)] {
            for row in try await pool.query("""
                SELECT o.id, t.id, CASE WHEN abs(hashtext(t.id)) % 5 = 0 THEN t.progress ELSE greatest(0, t.progress - 5 * \(offset)) END,
                       t.status
                FROM rectify_tasks t JOIN rectify_offices o ON o.region = t.region
                WHERE t.status NOT IN ('accepted', 'closed') AND o.id % 7 <> 0 AND o.revoked_at IS NULL
                ORDER BY t.id
                """) {
                let (office, task, progress, status) = try row.decode((Int64, String, Int, String).self)
                submissions.append(DemoSubmission(
                    office: office, task: task, period: "\(month)", progress: progress, status: status, summary: "Monthly progress report"))
            }
        }
        let (accepted, repeated) = try await DemoSubmissions.deliver(submissions, pool: pool, settings: api, logger: logger)
        let row = try await pool.query("""
            SELECT (SELECT count(*) FROM rectify_offices WHERE role <> 'ops'),
                   (SELECT count(DISTINCT office) FROM rectify_progress_submissions WHERE period = \("\(period)"))
            """)[0]
        let (offices, reported) = try row.decode((Int, Int).self)
        return (offices, reported, accepted, repeated)
    }

    /// Fires the month's run as cron would (once per period; later demo runs enqueue the jobs
    /// again to refresh the reports) and runs two workers until the jobs finish.
    func runMonth() async throws -> [Job] {
        let queue = JobQueue(pool: pool)
        let ids: [Int64]
        switch try await MonthlyRun.schedule(period: period, by: "demo@\(ProcessInfo.processInfo.hostName)", pool: pool) {
        case .scheduled(let scheduled):
            ids = scheduled
        case .alreadyScheduled(let at, _):
            // Running a month again replaces its reports; the demo does that on every run after the first.
            print("schedule \(period) was scheduled at \(ISO8601DateFormatter().string(from: at)); running its jobs again")
            let args = ReportJobs.Args(period: "\(period)")
            ids = try await queue.enqueue(try MonthlyRun.kinds.map { try JobRequest(kind: $0, args: args, queue: MonthlyRun.queue) })
                .compactMap(\.insertedID)
        }
        var registry = JobRegistry()
        JobKinds.register(into: &registry)
        var configuration = WorkerConfiguration()
        // The reports wait for the submitted progress to be applied, which runs on "default".
        configuration.queues = [MonthlyRun.queue: 4, "default": 16]
        let workers = (0..<2).map { _ in Worker(pool: pool, registry: registry, configuration: configuration, logger: logger) }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: workers.map { .init(service: $0) }, logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while try await !ids.asyncAllSatisfy({ try await queue.job(id: $0).state.isFinished }) {
                try await Task.sleep(for: .milliseconds(50))
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        var jobs: [Job] = []
        for id in ids { jobs.append(try await queue.job(id: id)) }
        return jobs
    }

    /// Writes every report of the period as HTML, Markdown, CSV and JSON.
    func writeReports(to folder: URL, language: ReportLanguage) async throws -> [String] {
        let directory = folder.appendingPathComponent("\(period)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var written: [String] = []
        for report in try await ReportStore(pool: pool).list(period: "\(period)") where report.round == nil {
            for format in [ReportFormat.html, .md, .csv, .json] {
                let file = directory.appendingPathComponent("\(report.kind).\(format.fileExtension)")
                try ReportRendering.render(report, as: format, language: language).write(to: file, atomically: true, encoding: .utf8)
                written.append(file.path)
            }
        }
        return written
    }

    /// A few figures a provincial office looks at first.
    func printHeadlines() async throws {
        let row = try await pool.query("""
            SELECT (SELECT figures->>'tasks_total' FROM rectify_reports WHERE kind = 'monthly_schedule' AND period = \("\(period)") AND round = ''),
                   (SELECT figures->>'tasks_overdue' FROM rectify_reports WHERE kind = 'monthly_schedule' AND period = \("\(period)") AND round = ''),
                   (SELECT figures->>'offices_not_reported' FROM rectify_reports WHERE kind = 'monthly_schedule' AND period = \("\(period)") AND round = ''),
                   (SELECT figures->>'units_named' FROM rectify_reports WHERE kind = 'name_and_shame' AND period = \("\(period)") AND round = ''),
                   (SELECT figures->>'persons_held' FROM rectify_reports WHERE kind = 'accountability_tally' AND period = \("\(period)") AND round = ''),
                   (SELECT count(*) FROM rectify_notifications WHERE period = \("\(period)"))
            """)[0]
        let (tasks, overdue, silent, named, persons, notices) = try row.decode((String?, String?, String?, String?, String?, Int).self)
        print("figures  \(tasks ?? "-") tasks, \(overdue ?? "-") overdue, \(silent ?? "-") offices not reported; "
            + "\(named ?? "-") units named; \(persons ?? "-") persons held; \(notices) notifications sent")
    }
}

extension Array where Element: Sendable {
    /// Whether every element satisfies an asynchronous predicate, checked in order.
    func asyncAllSatisfy(_ predicate: (Element) async throws -> Bool) async rethrows -> Bool {
        for element in self where try await !predicate(element) { return false }
        return true
    }
}
