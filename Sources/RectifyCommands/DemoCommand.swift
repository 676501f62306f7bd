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
import RectifySchema
import RectifyWorker
import ServiceLifecycle

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run three months of the programme on a demo province, through the queue, with real workers.",
        discussion: """
            Starts (or reuses) the embedded PostgreSQL cluster, migrates it, loads 河北省 (its eleven cities, \
            雄安新区 and 167 counties and districts under their real codes, two inspection rounds, 150 tasks, \
            3,000 petitions, 48 accountability cases), and then runs the closed loop for each of the three \
            months ending with --period, on a clock it sets for each month: the offices submit their progress \
            through POST /v1/progress on a loopback port and workers apply it; the province accepts, rejects \
            and extends, a city objects once, and the close-out job closes the tasks whose public notice \
            ended; the month's reports are fired as cron would and written as drafts; the province issues \
            them early in the next month (dated, the notice numbered). Writes every month's documents to \
            files, signed as the configuration's reports.* say (the demo province's by default). A second \
            run finds the months issued and changes nothing.
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The last month to run (YYYY-MM); default the month that just ended in the configured time zone (Asia/Shanghai).") var period: String?
    @Option(help: "Folder for the report files.") var out: String = "reports"
    @Option(help: "Labels in Chinese (zh) or English (en).") var lang: String = "zh"
    @Flag(help: "Keep the desk and workers running on http.host:http.port until Ctrl-C, to click through the months just run.")
    var serve = false

    func run() async throws {
        guard let language = ReportLanguage(rawValue: lang) else { throw CommandError("--lang: \"\(lang)\" is not zh or en") }
        let settings = try database.settings()
        let last = try Period.option(period, defaultIn: settings.scheduler.timeZone)
        let months = DemoMonths.periods(endingWith: last)
        let signing = settings.reportConfiguration
        let publicNotice = settings.publicNotice
        var logging = database
        if logging.logLevel == .info { logging.logLevel = .warning }
        let logger = logging.makeLogger()
        let started = ContinuousClock.now
        try await database.withPool(logger: logger) { pool in
            _ = try await RectifySchema.catalog.migrate(pool, logger: logger)
            var api = APIServer.Settings(
                host: "127.0.0.1", port: 0, workerLease: settings.worker.lease, timeZone: settings.scheduler.timeZone)
            api.bodyLimitBytes = settings.httpBodyLimitBytes
            let demo = ProvinceDemo(pool: pool, logger: logger, api: api)
            let ledger = DemoProvince.ledger()
            let loaded = try await demo.load(ledger)
            print("ledger   \(ledger.regions.count) regions, \(ledger.units.count) units, \(ledger.rounds.count) rounds, "
                + "\(ledger.tasks.count) tasks, \(ledger.petitions.count) petitions, \(ledger.accountability.count) accountability cases"
                + (loaded ? "" : " (already loaded)"))
            print("offices  \(try await demo.openOffices()) offices (督察整改办), one per region")
            try await demo.checkMonths(months)
            // Public notices the province opened late in a month end early in the next; their
            // jobs run with the next month's work, after the month's reports.
            var noticesEnding: [Int64] = []
            for (index, plan) in DemoMonths.plan(months, ledger: ledger).enumerated() {
                let month = plan.period
                // A month whose documents are issued happened: doing it again would take its
                // decisions on the ledger as it stands now.
                guard try await !demo.isIssued(month) else {
                    print("\(month)  documents issued on an earlier run; nothing changed")
                    continue
                }
                let delivery = try await demo.deliver(plan.submissions)
                try await demo.work(until: delivery.jobs + noticesEnding)
                for decision in DemoMonths.extensions(month: index, of: months, ledger: ledger) {
                    if let title = try await demo.extend(decision) {
                        print("\(month)  \(decision.task) \(title) extended to \(decision.to): \(decision.reason)")
                    }
                }
                let early = plan.decisions.filter { $0.on.day < 20 }, late = plan.decisions.filter { $0.on.day >= 20 }
                let closing = try await demo.decide(early, publicNotice: publicNotice, timeZone: signing.timeZone)
                try await demo.work(until: closing)
                noticesEnding = try await demo.decide(late, publicNotice: publicNotice, timeZone: signing.timeZone)
                let jobs = try await demo.runMonth(month)
                let issued = try await demo.issue(month, configuration: signing)
                print("\(month)  \(Set(plan.submissions.map(\.officeRegion)).count) offices reported on \(plan.submissions.count) tasks "
                    + "through POST /v1/progress (\(plan.submissions.count - delivery.repeated) submissions accepted"
                    + (delivery.repeated > 0 ? ", \(delivery.repeated) already received on an earlier run); " : "); ")
                    + demo.decisionsLine(plan.decisions))
                print("         report jobs " + jobs.map { "#\($0.id) \($0.kind) \($0.state.rawValue)" }.joined(separator: ", ")
                    + (issued.isEmpty ? "" : "\n         issued " + issued.joined(separator: ", ")))
            }
            try await demo.work(until: noticesEnding)
            var written: [String] = []
            for month in months {
                written += try await demo.writeReports(
                    of: month, to: URL(fileURLWithPath: out), language: language, configuration: signing)
            }
            try await demo.printHeadlines(of: last)
            print("reports")
            for path in written { print("  \(path)") }
            let accounts = try await DemoDesk.accounts(pool: pool)
            let url = "http://\(settings.httpHost):\(settings.httpPort)"
            DemoDesk.printAccounts(accounts, url: url, serving: serve)
            print(String(format: "done in %.1f s", started.duration(to: .now).secondsDouble))
            guard serve else { return }
            var desk = api
            desk.host = settings.httpHost
            desk.port = settings.httpPort
            desk.publicNotice = publicNotice
            desk.reports = signing
            desk.expectedSchema = RectifySchema.catalog.expectedVersions
            try await DemoDesk.serve(pool: pool, settings: settings, api: desk, logger: logger)
        }
    }
}

/// The steps of the demo on the demo database.
struct ProvinceDemo {
    let pool: PostgresPool
    let logger: Logger
    /// The API the demo's offices submit through (on a loopback port of its own).
    let api: APIServer.Settings

    /// Imports the ledger into an empty database, or finds it loaded already: importing it
    /// again would put back the progress the offices have reported since. Returns whether it
    /// imported.
    ///
    /// - Throws: ``CommandError`` when the database holds some other ledger, which the demo
    ///   would mix with its own.
    func load(_ ledger: Ledger) async throws -> Bool {
        let directory = LedgerDirectory(pool: pool)
        let tasks = try await directory.taskCount()
        let province = try await directory.regions().first { $0.code == "130000" }?.name
        if tasks == ledger.tasks.count && province == ledger.regions[0].name { return false }
        guard tasks == 0 else {
            throw CommandError("""
                this database holds another ledger (\(tasks) tasks\(province.map { ", 130000 named \($0)" } ?? "")); \
                run the demo on a database of its own, e.g. RECTIFY_HOME=/tmp/rectify-demo rectify demo
                """)
        }
        _ = try await LedgerImporter(pool: pool, logger: logger).importLedger(ledger)
        return true
    }

    /// Creates the province's and every city's and county's office (督察整改办) once; returns how many there are.
    func openOffices() async throws -> Int {
        let registry = OfficeRegistry(pool: pool)
        if try await registry.list().isEmpty {
            for region in try await LedgerDirectory(pool: pool).regions() {
                _ = try await registry.add(region: region.code, name: "\(region.name)督察整改办", role: nil)
            }
        }
        return try await registry.list().count
    }

    /// Delivers a month's submissions as the offices send them, each office with its own token
    /// through `POST /v1/progress`; the server stores each once and enqueues the job that applies it.
    func deliver(_ submissions: [DemoSubmission]) async throws -> DemoSubmissions.Delivery {
        var offices: [String: Int64] = [:]
        for office in try await OfficeRegistry(pool: pool).list() where office.revokedAt == nil {
            if let region = office.region { offices[region] = office.id }
        }
        return try await DemoSubmissions.deliver(submissions, offices: offices, pool: pool, settings: api, logger: logger)
    }

    /// Extends a task's deadline as the province decides, unless an earlier run did; returns
    /// the task's title when it extended.
    func extend(_ decision: DemoExtension) async throws -> String? {
        try await pool.transaction { connection in
            let (current, title) = try await connection.query("SELECT deadline::text, title FROM rectify_ledger_tasks WHERE id = \(decision.task)")[0]
                .decode((String, String).self)
            guard Day(current)! < decision.to else { return nil }
            try await DeadlineExtension.extend(
                task: decision.task, to: decision.to, reason: decision.reason, by: DemoProvince.provinceOffice, on: connection)
            return title
        }
    }

    /// Refuses a database where the demo ran for other months (each month builds on the one
    /// before, from the ledger as loaded), or where an earlier version ran it.
    ///
    /// - Throws: ``CommandError`` naming the months it holds and what to do instead.
    func checkMonths(_ months: [Period]) async throws {
        let reports = try await ReportStore(pool: pool).list()
        if reports.contains(where: { $0.issue?.issuedBy == "migration" }) {
            throw CommandError("""
                this database holds an earlier version's demo, whose documents were written before reports were drafted \
                and issued; run the demo on a database of its own, e.g. RECTIFY_HOME=/tmp/rectify-demo rectify demo
                """)
        }
        let held = Set(reports.map(\.period)).sorted()
        guard let other = held.first(where: { period in !months.contains { "\($0)" == period } }) else { return }
        throw CommandError("""
            this database holds the demo's documents for \(held.joined(separator: ", ")), and \(other) is not one of the months \
            asked for (\(months.map(\.description).joined(separator: ", "))); the months build on each other, so run other months \
            on a database of their own, e.g. RECTIFY_HOME=/tmp/rectify-demo-\(months.last!) rectify demo --period \(months.last!)
            """)
    }

    /// Whether an earlier run issued all of the month's documents.
    func isIssued(_ period: Period) async throws -> Bool {
        let store = ReportStore(pool: pool)
        for kind in MonthlyRun.kinds where try await store.current(kind: kind, period: "\(period)")?.isDraft != false { return false }
        return true
    }

    /// Fires the month's run as cron would (once per period; a later demo run enqueues the jobs
    /// again to refresh drafts an interrupted run left unissued) and works until its jobs
    /// finish. The workers take only the reports' queue: public notices that end in the next
    /// month wait for its work.
    func runMonth(_ period: Period) async throws -> [Job] {
        let ids: [Int64]
        switch try await MonthlyRun.schedule(period: period, by: "demo@\(ProcessInfo.processInfo.hostName)", pool: pool) {
        case .scheduled(let scheduled) where scheduled.count == MonthlyRun.kinds.count:
            ids = scheduled
        case .scheduled(let scheduled):
            // Only the kinds added since the month was first fired were new; refresh the others too.
            ids = scheduled + (try await enqueueAgain(period))
        case .alreadyScheduled:
            // An earlier run stopped before issuing the month's documents: write their drafts again.
            ids = try await enqueueAgain(period)
        }
        try await work(until: ids, queues: [MonthlyRun.queue: 4])
        var jobs: [Job] = []
        for id in ids { jobs.append(try await JobQueue(pool: pool).job(id: id)) }
        return jobs
    }

    /// Enqueues the month's report jobs once more, outside the once-per-period schedule.
    private func enqueueAgain(_ period: Period) async throws -> [Int64] {
        let args = ReportJobs.Args(period: "\(period)")
        return try await JobQueue(pool: pool).enqueue(try MonthlyRun.kinds.map { try ReportJobs.definition($0).request(args, queue: MonthlyRun.queue) })
            .compactMap(\.insertedID)
    }

    /// Runs two workers on `queues` until the jobs `ids` have finished.
    func work(until ids: [Int64], queues: [String: Int] = [MonthlyRun.queue: 4, "default": 50]) async throws {
        guard !ids.isEmpty else { return }
        let queue = JobQueue(pool: pool)
        var registry = JobRegistry()
        JobKinds.register(into: &registry)
        var configuration = WorkerConfiguration()
        configuration.queues = queues
        configuration.pollInterval = .milliseconds(100)
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
    }

    /// "province accepted 12, sent back 1; 1 objection": what the month's decisions were.
    func decisionsLine(_ decisions: [DemoDecision]) -> String {
        let accepted = decisions.filter { $0.kind == .accept }.count, rejected = decisions.filter { $0.kind == .reject }.count
        let objections = decisions.filter { $0.kind == .object }.count
        return "province accepted \(accepted), sent back \(rejected)" + (objections > 0 ? "; \(objections) objection in the public notice" : "")
    }

    /// The period's documents people read, one per kind: the issued one in force, else the draft.
    private func documents(of period: Period) async throws -> [StoredReport] {
        var documents: [StoredReport] = []
        for kind in ReportJobs.kinds {
            if let report = try await ReportStore(pool: pool).current(kind: kind, period: "\(period)") { documents.append(report) }
        }
        return documents
    }

    /// Writes each of the period's documents as HTML, Markdown, CSV and JSON.
    func writeReports(of period: Period, to folder: URL, language: ReportLanguage, configuration: ReportConfiguration) async throws -> [String] {
        let directory = folder.appendingPathComponent("\(period)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var written: [String] = []
        for report in try await documents(of: period) {
            for format in ReportRendering.formats(of: report.kind) {
                let file = directory.appendingPathComponent("\(report.kind).\(format.fileExtension)")
                try ReportRendering.render(report, as: format, language: language, configuration: configuration)
                    .write(to: file, atomically: true, encoding: .utf8)
                written.append(file.path)
            }
        }
        return written
    }

    /// A few figures of the last month a provincial office looks at first.
    func printHeadlines(of period: Period) async throws {
        let store = ReportStore(pool: pool)
        var figures: [String: [String: Any]] = [:]
        for report in try await documents(of: period) {
            figures[report.kind] = (try? JSONSerialization.jsonObject(with: Data(report.figuresJSON.utf8))) as? [String: Any]
        }
        func figure(_ kind: String, _ name: String) -> String? { figures[kind]?[name].map { "\($0)" } }
        let (tasks, overdue, silent) = (
            figure("monthly_schedule", "tasks_total"), figure("monthly_schedule", "tasks_overdue"), figure("monthly_schedule", "offices_not_reported"))
        let (named, persons) = (figure("name_and_shame", "units_named"), figure("accountability_tally", "persons_held"))
        let listed = (figures["name_and_shame"]?["named"] as? [[String: Any]]) ?? []
        let noticed = Set(listed.filter { $0["level"] as? String == "public_notice" }.compactMap { $0["unit"].map { "\($0)" } }).count
        let notices = try await store.notificationCount(period: "\(period)")
        print("\(period)  \(tasks ?? "-") tasks, \(overdue ?? "-") overdue, \(silent ?? "-") offices not reported; "
            + "\(named ?? "-") units named (\(noticed) at 通报批评); \(persons ?? "-") persons held; \(notices) notices in the offices' inboxes")
    }
}

extension Array where Element: Sendable {
    /// Whether every element satisfies an asynchronous predicate, checked in order.
    func asyncAllSatisfy(_ predicate: (Element) async throws -> Bool) async rethrows -> Bool {
        for element in self where try await !predicate(element) { return false }
        return true
    }
}
