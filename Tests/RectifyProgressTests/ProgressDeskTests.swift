import Foundation
import RectifyDomain
import RectifyLedger
import RectifyPostgres
import RectifyProgress
import RectifyQueue
import RectifyTesting
import RectifyWorker
import Testing

/// The sample ledger with three offices: Shijiazhuang (city, owns both tasks), Chang'an
/// (county, owns CEI2-HE-002 only) and the province.
struct ProgressFixture {
    let pool: PostgresPool
    let city: Office
    let county: Office
    let province: Office
    let zone = TimeZone(identifier: "Asia/Shanghai")!

    static func load(_ pool: PostgresPool) async throws -> ProgressFixture {
        _ = try await LedgerImporter(pool: pool, logger: TestLogging.logger).importLedger(try LedgerReader.read(SampleLedger.json()))
        let registry = OfficeRegistry(pool: pool)
        return ProgressFixture(
            pool: pool,
            city: try await registry.add(region: "130100", name: "Shijiazhuang office", role: nil).office,
            county: try await registry.add(region: "130102", name: "Chang'an office", role: nil).office,
            province: try await registry.add(region: "130000", name: "Provincial office", role: nil).office)
    }

    var desk: ProgressDesk { ProgressDesk(pool: pool, timeZone: zone) }

    func submission(
        _ id: String, task: String = "CEI2-HE-001", period: String = "2026-10", progress: Int = 50,
        status: TaskStatus = .inProgress
    ) -> ProgressSubmission {
        ProgressSubmission(submissionID: id, task: task, period: Period(period)!, progress: progress, status: status, summary: "work")
    }

    /// Submissions and jobs stored so far.
    func written() async throws -> (submissions: Int, jobs: Int) {
        try await pool.query("""
            SELECT (SELECT count(*) FROM rectify_progress_submissions), (SELECT count(*) FROM rectify_jobs)
            """)[0].decode((Int, Int).self)
    }

    func task(_ id: String = "CEI2-HE-001") async throws -> (status: String, progress: Int, closedOn: String?) {
        try await pool.query("SELECT status, progress, closed_on::text FROM rectify_tasks WHERE id = \(id)")[0]
            .decode((String, Int, String?).self)
    }

    /// Runs a worker that knows the progress jobs until `jobs` are finished.
    func runJobs(_ jobs: [Int64]) async throws {
        var registry = JobRegistry()
        ProgressJobs.register(into: &registry)
        var configuration = WorkerConfiguration()
        configuration.promoteInterval = .milliseconds(100)
        let worker = Worker(pool: pool, registry: registry, configuration: configuration, logger: TestLogging.logger)
        let queue = JobQueue(pool: pool)
        let done = try await runWorkers([worker]) {
            for id in jobs where try await !queue.job(id: id).state.isFinished { return false }
            return true
        }
        #expect(done, "jobs \(jobs) finished")
    }
}

@Suite("Progress submissions, the state machine and close-out", .database)
struct ProgressDeskTests {
    @Test("each rule of the SPEC refuses with its code and field, and writes nothing")
    func refusals() async throws {
        let database = try await TestDatabase.fresh("progressrules")
        try await database.withPool { pool in
            let fixture = try await ProgressFixture.load(pool)
            let now = ISO8601DateFormatter().date(from: "2026-11-05T00:00:00Z")!
            let cases: [(ProgressSubmission, Office, ProgressError.Code, String?)] = [
                (fixture.submission("a", task: "NOPE"), fixture.city, .unknownTask, "task"),
                (fixture.submission("b", period: "2026-12"), fixture.city, .periodInFuture, "period"),
                (fixture.submission("c", status: .accepted), fixture.city, .transitionForbidden, "status"),
                (fixture.submission("d", status: .notStarted), fixture.city, .transitionForbidden, "status"),
                (fixture.submission("e", task: "CEI2-HE-002", progress: 90, status: .closed), fixture.county, .progressBelowAccepted, "progress"),
                (fixture.submission("f", task: "CEI2-HE-002", progress: 100, status: .inProgress), fixture.county, .transitionForbidden, "status"),
                (fixture.submission("g"), fixture.county, .outOfScope, "task"),
            ]
            for (submission, office, code, field) in cases {
                let error = try await #require(throws: ProgressError.self, "\(submission.submissionID)") {
                    try await fixture.desk.submit(submission, by: office, now: now)
                }
                #expect(error.code == code, "\(submission.submissionID): \(error)")
                if let field { #expect(error.field == field) }
            }
            #expect(try await fixture.written() == (0, 0))
            #expect(try await fixture.task() == ("in_progress", 40, nil))
        }
    }

    @Test("the body's shape: unknown fields, wrong types, ranges and malformed JSON name the field")
    func parsing() throws {
        func refusal(_ json: String) -> ProgressError? {
            do {
                _ = try ProgressSubmission.parse(Data(json.utf8))
                return nil
            } catch { return error }
        }
        let good = #"{"submission_id":"s1","task":"T","period":"2026-10","progress":55,"status":"in_progress","summary":"x","evidence":[{"name":"a.jpg","sha256":"\#(String(repeating: "ab", count: 32))"}]}"#
        let parsed = try ProgressSubmission.parse(Data(good.utf8))
        #expect(parsed.progress == 55 && parsed.evidence.count == 1 && parsed.period == Period("2026-10"))
        #expect(try ProgressSubmission.parse(Data(#"{"submission_id":"s","task":"T","period":"2026-10","progress":1,"status":"in_progress"}"#.utf8)).progress == 1)
        let cases: [(String, ProgressError.Code, String?)] = [
            ("{", .malformedJSON, nil),
            ("[1]", .malformedJSON, nil),
            (good.replacingOccurrences(of: #""summary":"x""#, with: #""summary":"x","owner":1"#), .unknownField, "owner"),
            (good.replacingOccurrences(of: "55", with: "101"), .invalidField, "progress"),
            (good.replacingOccurrences(of: "55", with: "-1"), .invalidField, "progress"),
            (good.replacingOccurrences(of: "55", with: "55.5"), .invalidField, "progress"),
            (good.replacingOccurrences(of: "55", with: "true"), .invalidField, "progress"),
            (good.replacingOccurrences(of: "55", with: #""55""#), .invalidField, "progress"),
            (good.replacingOccurrences(of: "2026-10", with: "2026-13"), .invalidField, "period"),
            (good.replacingOccurrences(of: "2026-10", with: "Oct 2026"), .invalidField, "period"),
            (good.replacingOccurrences(of: #""in_progress""#, with: #""done""#), .invalidField, "status"),
            (good.replacingOccurrences(of: #""task":"T","#, with: ""), .invalidField, "task"),
            (good.replacingOccurrences(of: #""s1""#, with: #""  ""#), .invalidField, "submission_id"),
            (good.replacingOccurrences(of: "abab", with: "ABAB"), .invalidField, "evidence[0].sha256"),
            (good.replacingOccurrences(of: #""name":"a.jpg","#, with: #""name":"a.jpg","size":1,"#), .unknownField, "evidence[0].size"),
        ]
        for (json, code, field) in cases {
            let error = try #require(refusal(json), "\(json)")
            #expect(error.code == code, "\(json): \(error)")
            #expect(error.field == field, "\(json): \(error)")
        }
    }

    @Test("a submission is stored while a change of its task is still uncommitted: the change's lock leaves the task's key alone")
    func submissionBesideChange() async throws {
        let database = try await TestDatabase.fresh("submitbeside")
        try await database.withPool { pool in
            let fixture = try await ProgressFixture.load(pool)
            try await pool.transaction { connection in
                try await DeadlineExtension.extend(
                    task: "CEI2-HE-001", to: Day("2027-06-30")!, reason: "flood season", by: "Province", on: connection)
                let submission = Task { try await fixture.desk.submit(fixture.submission("beside"), by: fixture.city) }
                #expect(try await eventually(timeout: .seconds(10)) { try await fixture.written().submissions == 1 },
                        "the submission's foreign key waited for the extension to commit")
                _ = try await submission.value
            }
        }
    }

    @Test("two identical submissions at once store one submission and one job, and both get its id")
    func idempotentUnderRace() async throws {
        let database = try await TestDatabase.fresh("progressrace")
        try await database.withPool { pool in
            let fixture = try await ProgressFixture.load(pool)
            let submission = fixture.submission("same-id")
            for _ in 0..<5 {
                async let first = fixture.desk.submit(submission, by: fixture.city)
                async let second = fixture.desk.submit(submission, by: fixture.city)
                let (a, b) = try await (first, second)
                #expect(a.jobID == b.jobID)
            }
            #expect(try await fixture.written() == (1, 1))
            let again = try await fixture.desk.submit(submission, by: fixture.city)
            #expect(again.repeated)
            // Another office's "same-id" is its own submission.
            let province = try await fixture.desk.submit(fixture.submission("same-id", progress: 60), by: fixture.province)
            #expect(!province.repeated && province.jobID != again.jobID)
            #expect(try await fixture.written() == (2, 2))
        }
    }

    @Test("the job applies a submission with its history, and re-checks the state machine on the task as it stands")
    func jobRechecks() async throws {
        let database = try await TestDatabase.fresh("progressjob")
        try await database.withPool { pool in
            let fixture = try await ProgressFixture.load(pool)
            let first = try await fixture.desk.submit(fixture.submission("s1", progress: 90, status: .pendingAcceptance), by: fixture.city)
            try await fixture.runJobs([first.jobID])
            #expect(try await fixture.task() == ("pending_acceptance", 90, nil))
            // Accepted while a later submission waits: the job finds the move forbidden and cancels.
            let second = try await fixture.desk.submit(fixture.submission("s2", progress: 95, status: .pendingAcceptance), by: fixture.city)
            // Accepted at 23:30 on 24 December: the seven days' notice ends as 31 December does.
            let acceptedAt = Date(timeIntervalSince1970: 1_798_126_200)
            let accepted = try await CloseOut(pool: pool, timeZone: fixture.zone)
                .decide(task: "CEI2-HE-001", decision: .accept, note: "", by: fixture.province, at: acceptedAt)
            let notice = try await JobQueue(pool: pool).job(id: try #require(accepted.publicNoticeJobID))
            #expect(notice.runAt == Day("2027-01-01")?.start(in: fixture.zone))
            #expect(notice.argsJSON.contains("\"2026-12-31\""), "the task closes on the last day: \(notice.argsJSON)")
            try await fixture.runJobs([second.jobID])
            let job = try await JobQueue(pool: pool).job(id: second.jobID)
            #expect(job.state == .cancelled)
            #expect(job.errors.last?.error.contains("cannot become pending_acceptance") == true, "\(job.errors)")
            #expect(try await fixture.task() == ("accepted", 90, nil))
            let history = try await pool.transaction { try await TaskHistory.entries(task: "CEI2-HE-001", on: $0) }
            #expect(history.map(\.change.source) == [.submission, .acceptance])
            #expect(history[0].change.actor == "Shijiazhuang office via API")
            #expect(history[0].change.reference == "s1")
            #expect(history[0].change.status == (.inProgress, .pendingAcceptance) && history[0].change.progress == (40, 90))
        }
    }

    @Test("a submission with later ones for its task, of a later month or sent later in its own, is cancelled naming the latest; the task takes the latest news")
    func supersededSubmission() async throws {
        let database = try await TestDatabase.fresh("progresslater")
        try await database.withPool { pool in
            let fixture = try await ProgressFixture.load(pool)
            let queue = JobQueue(pool: pool)
            let september = try await fixture.desk.submit(fixture.submission("sep", period: "2026-09", progress: 45), by: fixture.city)
            try await fixture.runJobs([september.jobID])
            #expect(try await queue.job(id: september.jobID).state == .completed)
            let october = try await fixture.desk.submit(fixture.submission("oct", period: "2026-10", progress: 60), by: fixture.city)
            let novemberFirst = try await fixture.desk.submit(fixture.submission("nov-a", period: "2026-11", progress: 65), by: fixture.city)
            let novemberCorrected = try await fixture.desk.submit(fixture.submission("nov-b", period: "2026-11", progress: 70), by: fixture.city)
            try await fixture.runJobs([october.jobID, novemberFirst.jobID, novemberCorrected.jobID])
            for superseded in [october, novemberFirst] {
                let job = try await queue.job(id: superseded.jobID)
                #expect(job.state == .cancelled)
                #expect(job.errors.last?.error.contains("the later submission nov-b for 2026-11 supersedes it") == true, "\(job.errors)")
            }
            #expect(try await queue.job(id: novemberCorrected.jobID).state == .completed)
            #expect(try await fixture.task() == ("in_progress", 70, nil))
        }
    }

    @Test("a later submission stored while the job waits for its task's lock is seen once the job holds it")
    func supersededWhileWaitingForTheTask() async throws {
        let database = try await TestDatabase.fresh("progresslock")
        try await database.withPool { pool in
            let fixture = try await ProgressFixture.load(pool)
            let october = try await fixture.desk.submit(fixture.submission("oct", period: "2026-10", progress: 60), by: fixture.city)
            let running = Task { try await fixture.runJobs([october.jobID]) }
            // A change of the task holds it; the job's handler waits at the task's lock, and a
            // later submission is stored meanwhile (its foreign key does not wait for the change).
            let november = try await pool.transaction { connection in
                try await connection.query("SELECT id FROM rectify_tasks WHERE id = 'CEI2-HE-001' FOR NO KEY UPDATE")
                let waiting = try await eventually {
                    try await pool.query("""
                        SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                        """)[0].decode(Int.self, at: 0) > 0
                }
                #expect(waiting, "the job did not reach the task's lock")
                return try await fixture.desk.submit(fixture.submission("nov", period: "2026-11", progress: 70), by: fixture.city)
            }
            try await running.value
            let job = try await JobQueue(pool: pool).job(id: october.jobID)
            #expect(job.state == .cancelled, "the older submission was applied over the later one")
            #expect(job.errors.last?.error.contains("the later submission nov for 2026-11 supersedes it") == true, "\(job.errors)")
            try await fixture.runJobs([november.jobID])
            #expect(try await fixture.task() == ("in_progress", 70, nil))
        }
    }

    @Test("close-out: accepted, the public notice ends with no objection, and its job closes the task")
    func closeOutWithoutObjection() async throws {
        let database = try await TestDatabase.fresh("closeout")
        try await database.withPool { pool in
            let fixture = try await ProgressFixture.load(pool)
            let ready = try await fixture.desk.submit(fixture.submission("s1", progress: 100, status: .pendingAcceptance), by: fixture.city)
            try await fixture.runJobs([ready.jobID])
            let closeOut = CloseOut(pool: pool, publicNotice: .exactly(.milliseconds(300)), timeZone: fixture.zone)
            let refused = try await #require(throws: ProgressError.self) {
                try await closeOut.decide(task: "CEI2-HE-001", decision: .accept, note: "", by: fixture.city)
            }
            #expect(refused.code == .roleForbidden)
            let accepted = try await closeOut.decide(task: "CEI2-HE-001", decision: .accept, note: "site visit passed", by: fixture.province)
            let notice = try #require(accepted.publicNoticeJobID)
            #expect(try await JobQueue(pool: pool).job(id: notice).state == .scheduled)
            try await fixture.runJobs([notice])
            let task = try await fixture.task()
            #expect(task.status == "closed")
            #expect(task.closedOn == Day(containing: Date(), in: fixture.zone).description)
            let history = try await pool.transaction { try await TaskHistory.entries(task: "CEI2-HE-001", on: $0) }
            #expect(history.map(\.change.source) == [.submission, .acceptance, .publicNotice])
            #expect(history[2].change.status == (.accepted, .closed))
        }
    }

    @Test("close-out: an objection sends the task back, the notice's job leaves it open; a rejection needs a note")
    func closeOutWithObjection() async throws {
        let database = try await TestDatabase.fresh("objection")
        try await database.withPool { pool in
            let fixture = try await ProgressFixture.load(pool)
            let ready = try await fixture.desk.submit(fixture.submission("s1", progress: 80, status: .pendingAcceptance), by: fixture.city)
            try await fixture.runJobs([ready.jobID])
            let closeOut = CloseOut(pool: pool, publicNotice: .exactly(.milliseconds(300)), timeZone: fixture.zone)
            let noNote = try await #require(throws: ProgressError.self) {
                try await closeOut.decide(task: "CEI2-HE-001", decision: .reject, note: " ", by: fixture.province)
            }
            #expect(noNote.code == .invalidField && noNote.field == "note")
            let accepted = try await closeOut.decide(task: "CEI2-HE-001", decision: .accept, note: "", by: fixture.province)
            let outside = try await #require(throws: ProgressError.self) {
                try await closeOut.object(task: "CEI2-HE-001", reason: "still dusty", by: fixture.county)
            }
            #expect(outside.code == .outOfScope)
            let own = try await #require(throws: ProgressError.self) {
                try await closeOut.object(task: "CEI2-HE-001", reason: "residents report dust at night", by: fixture.city)
            }
            #expect(own.code == .roleForbidden, "the lead unit's own office may not object")
            _ = try await closeOut.object(task: "CEI2-HE-001", reason: "residents report dust at night", by: fixture.province)
            try await fixture.runJobs([try #require(accepted.publicNoticeJobID)])
            #expect(try await JobQueue(pool: pool).job(id: accepted.publicNoticeJobID!).state == .completed)
            #expect(try await fixture.task() == ("in_progress", 80, nil))
            // The accepted 80 is a floor from now on.
            let below = try await #require(throws: ProgressError.self) {
                try await fixture.desk.submit(fixture.submission("s2", progress: 70), by: fixture.city)
            }
            #expect(below.code == .progressBelowAccepted && below.field == "progress")
            let again = try await fixture.desk.submit(fixture.submission("s3", progress: 85, status: .pendingAcceptance), by: fixture.city)
            try await fixture.runJobs([again.jobID])
            let rejected = try await closeOut.decide(task: "CEI2-HE-001", decision: .reject, note: "evidence missing", by: fixture.province)
            #expect(rejected.status == .inProgress)
            let history = try await pool.transaction { try await TaskHistory.entries(task: "CEI2-HE-001", on: $0) }
            #expect(history.map(\.change.source) == [.submission, .acceptance, .objection, .submission, .rejection])
            #expect(history[2].change.note == "residents report dust at night")
            #expect(history[4].change.note == "evidence missing")
        }
    }
}
