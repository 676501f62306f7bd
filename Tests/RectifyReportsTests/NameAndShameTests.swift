import Foundation
import RectifyDomain
import RectifyLedger
import RectifyPostgres
import RectifyProgress
import RectifyQueue
import RectifyReports
import RectifyTesting
import RectifyWorker
import Testing

/// Task A (unit U1): deadline 2026-01-10, never reported → overdue every month, counted to the
/// first day after the period (January: 2026-02-01 − 2026-01-10 = 22 days); not "not reported",
/// since its office reported on B.
/// Task B (unit U2): deadline 2030, reported at 20 % in January, February and March → stalled in
/// March (N = 2), 30 % in April → moving again, no report in May.
private func ledger(statusOfA: String) -> String {
    #"""
    {"format": "rectify-ledger/1",
     "regions": [{"code": "130000", "name": "Hebei", "level": "province", "parent": null},
                 {"code": "130100", "name": "Shijiazhuang", "level": "city", "parent": "130000"}],
     "units": [{"id": "U1", "name": "Unit one", "region": "130100", "kind": "government"},
               {"id": "U2", "name": "Unit two", "region": "130100", "kind": "department"}],
     "rounds": [{"id": "R1", "name": "Round", "group": "G", "region": "130000", "inspected_from": "2022-03-01", "inspected_to": "2022-04-01", "feedback_on": "2022-06-01"}],
     "tasks": [
      {"id": "A", "round": "R1", "title": "a", "category": "air", "region": "130100", "lead_unit": "U1", "deadline": "2026-01-10", "status": "\#(statusOfA)", "progress": 30, "closed_on": null},
      {"id": "B", "round": "R1", "title": "b", "category": "water", "region": "130100", "lead_unit": "U2", "deadline": "2030-12-31", "status": "in_progress", "progress": 20, "closed_on": null}]}
    """#
}

@Suite("Name-and-shame notice", .database)
struct NameAndShameTests {
    @Test("levels escalate over three consecutive months and start again after a month without naming")
    func escalation() async throws {
        let database = try await TestDatabase.fresh("nameshame")
        try await database.withPool { pool in
            let importer = LedgerImporter(pool: pool, logger: TestLogging.logger)
            _ = try await importer.importLedger(try LedgerReader.read(Data(ledger(statusOfA: "in_progress").utf8)))
            let office = try await OfficeRegistry(pool: pool).add(region: "130100", name: "City office", role: nil).office
            for (period, progress) in [("2026-01", 20), ("2026-02", 20), ("2026-03", 20), ("2026-04", 30)] {
                try await pool.query("""
                    INSERT INTO rectify_progress_submissions (submission_id, office, task, period, progress, status)
                    VALUES (\("B-" + period), \(office.id), 'B', \(period), \(progress), 'in_progress')
                    """)
            }

            let january = try await nameAndShameNotice("2026-01", pool)
            #expect(january.named.map { "\($0.unit) \($0.task) \($0.reason.rawValue) \($0.level.rawValue) \($0.daysOverdue)" }
                    == ["U1 A overdue reminder 22"], "the office reported (on B), so none of its units is named for not reporting")
            #expect(january.unitsNamed == 1 && january.tasksNamed == 1)
            let csvLines: [String] = CSVRenderer.notice(january, period: "2026-01", language: .en)
                .split(separator: "\r\n").map(String.init)
            #expect(csvLines == [
                "period,city,unit,unit_name,region,region_name,task,task_title,deadline,original_deadline,reason,days_overdue,level",
                "2026-01,Shijiazhuang,U1,Unit one,130100,Shijiazhuang,A,a,2026-01-10,,overdue,22,reminder",
            ])
            let notices = try await pool.query("""
                SELECT unit, level, tasks::text FROM rectify_notifications WHERE kind = 'named' AND period = '2026-01'
                """).map { try $0.decode((String, String, String).self) }
            #expect(notices.count == 1)
            #expect(notices.first?.0 == "U1" && notices.first?.1 == "reminder")
            #expect(notices.first?.2.contains(#""reason": "overdue""#) == true && notices.first?.2.contains(#""days_overdue": 22"#) == true)

            let february = try await nameAndShameNotice("2026-02", pool)
            #expect(Set(february.named.map(\.level)) == [.warning])
            #expect(february.named.first { $0.reason == .overdue }?.daysOverdue == 50, "2026-03-01 − 2026-01-10")

            let march = try await nameAndShameNotice("2026-03", pool)
            #expect(march.named.filter { $0.unit == "U1" }.allSatisfy { $0.level == .publicNotice })
            let stalled = march.named.filter { $0.unit == "U2" }
            #expect(stalled.map(\.reason) == [.stalled], "three reported months at 20 %: no increase over the last two")
            #expect(stalled.first?.level == .reminder)

            _ = try await importer.importLedger(try LedgerReader.read(Data(ledger(statusOfA: "accepted").utf8)))
            let april = try await nameAndShameNotice("2026-04", pool)
            #expect(april.named.isEmpty, "A accepted, B moved to 30 %")

            _ = try await importer.importLedger(try LedgerReader.read(Data(ledger(statusOfA: "in_progress").utf8)))
            let may = try await nameAndShameNotice("2026-05", pool)
            #expect(Set(may.named.map(\.level)) == [.reminder], "a clean April starts everyone again at reminder")
            #expect(may.named.contains { $0.unit == "U2" && $0.reason == .notReported })

            let again = try await nameAndShameNotice("2026-05", pool)
            #expect(again == may, "the document in force is still May's issued notice")
            let versions = try await ReportStore(pool: pool).list(period: "2026-05", kind: ReportJobs.nameAndShame)
            #expect(versions.map(\.isDraft) == [false, true], "the re-run drafted anew beside the issued notice")
            let redraft = try JSONDecoder().decode(NameAndShame.self, from: Data(versions[1].figuresJSON.utf8))
            #expect(redraft.named == may.named, "with the same figures")
            #expect(try await ReportStore(pool: pool).notificationCount(period: "2026-05") == 2,
                    "one notice per named unit, not duplicated by the re-run")
        }
    }

    @Test("the notice waits until the period's submitted progress is applied, then names on it")
    func waitsForAppliedProgress() async throws {
        let database = try await TestDatabase.fresh("nameshamewait")
        try await database.withPool { pool in
            _ = try await LedgerImporter(pool: pool, logger: TestLogging.logger)
                .importLedger(try LedgerReader.read(Data(ledger(statusOfA: "in_progress").utf8)))
            let office = try await OfficeRegistry(pool: pool).add(region: "130100", name: "City office", role: nil).office
            for (period, progress) in [("2026-01", 20), ("2026-02", 20), ("2026-03", 35)] {
                try await pool.query("""
                    INSERT INTO rectify_progress_submissions (submission_id, office, task, period, progress, status)
                    VALUES (\("B-" + period), \(office.id), 'B', \(period), \(progress), 'in_progress')
                    """)
            }
            let queue = JobQueue(pool: pool)
            // March's submission is held back (its job not due for an hour) while the notice is fired.
            let apply = try #require(try await queue.enqueue(try JobRequest(
                kind: ProgressJobs.applyProgress, args: ProgressJobs.Args(submission: "B-2026-03", office: office.id, period: "2026-03"),
                runAt: Date().addingTimeInterval(3600))).insertedID)
            let notice = try #require(try await queue.enqueue(try JobRequest(
                kind: ReportJobs.nameAndShame, args: ReportJobs.Args(period: "2026-03"))).insertedID)
            var registry = JobRegistry()
            ReportJobs.register(into: &registry)
            ProgressJobs.register(into: &registry)
            let worker = Worker(pool: pool, registry: registry, configuration: WorkerConfiguration(), logger: TestLogging.logger)
            let snoozed = try await runWorkers([worker]) { try await queue.job(id: notice).state == .scheduled }
            #expect(snoozed, "the notice snoozes while a submission of its period is not applied")
            #expect(try await ReportStore(pool: pool).list(period: "2026-03", kind: ReportJobs.nameAndShame).isEmpty)

            _ = try await queue.retry(id: apply)
            _ = try await queue.retry(id: notice)
            #expect(try await runWorkers([worker]) { try await queue.job(id: notice).state.isFinished })
            #expect(try await queue.job(id: apply).state == .completed)
            #expect(try await pool.query("SELECT progress FROM rectify_tasks WHERE id = 'B'")[0].decode(Int.self, at: 0) == 35)
            let report = try #require(try await ReportStore(pool: pool).list(period: "2026-03", kind: ReportJobs.nameAndShame).first)
            let march = try JSONDecoder().decode(NameAndShame.self, from: Data(report.figuresJSON.utf8))
            #expect(!march.named.contains { $0.task == "B" }, "B moved from 20 to 35 in March, so it is not stalled")
        }
    }

    @Test("a draft reaches no inbox; issuing sends it; a re-run drafts anew and leaves the issued notices and their read marks alone; a reissue replaces them")
    func draftsIssueAndReissue() async throws {
        let database = try await TestDatabase.fresh("nameshamereads")
        try await database.withPool { pool in
            let importer = LedgerImporter(pool: pool, logger: TestLogging.logger)
            _ = try await importer.importLedger(try LedgerReader.read(Data(ledger(statusOfA: "in_progress").utf8)))
            let office = try await OfficeRegistry(pool: pool).add(region: "130100", name: "City office", role: nil).office
            let inbox = OfficeInbox(pool: pool)
            let store = ReportStore(pool: pool)
            _ = try await nameAndShameNotice("2026-01", pool, issue: false)
            #expect(try await inbox.list(for: office, unreadOnly: false, limit: 50, before: nil).isEmpty, "a draft reaches no inbox")
            let draft = try #require(try await store.current(kind: ReportJobs.nameAndShame, period: "2026-01"))
            await #expect(throws: ReportError.self, "never dated inside its period") {
                try await store.issue(id: draft.id, on: Day("2026-01-31")!, by: "test", configuration: ReportConfiguration())
            }
            let issued = try await store.issue(id: draft.id, on: Day("2026-02-03")!, by: "test", configuration: ReportConfiguration())
            #expect(issued.issue?.number == "冀督改办通〔2026〕1号" && issued.issue?.issuedOn == Day("2026-02-03"))
            let first = try await inbox.list(for: office, unreadOnly: false, limit: 50, before: nil)
            #expect(first.map { "\($0.kind) \($0.unit ?? "-") \($0.level ?? "-") \($0.read)" }
                    == ["named U2 reminder false", "named U1 reminder false"], "B not reported, A overdue and not reported")
            try await inbox.markRead(try #require(first.first { $0.unit == "U1" }).id, for: office)

            _ = try await importer.importLedger(try LedgerReader.read(Data(ledger(statusOfA: "accepted").utf8)))
            _ = try await nameAndShameNotice("2026-01", pool, issue: false)
            let again = try await inbox.list(for: office, unreadOnly: false, limit: 50, before: nil)
            #expect(again.map(\.id) == first.map(\.id) && again.map(\.read) == [false, true], "the issued notice stands, read marks and all")
            let redraft = try #require(try await store.current(kind: ReportJobs.nameAndShame, period: "2026-01"))
            #expect(redraft.id == issued.id, "the document in force is the one people read")
            #expect(try await store.report(id: issued.id).issue == issued.issue && redraft.figuresJSON == issued.figuresJSON,
                    "the re-run kept the issued notice's 文号, date and figures")
            let drafts = try await store.list(period: "2026-01", kind: ReportJobs.nameAndShame).filter(\.isDraft)
            #expect(drafts.count == 1)
            await #expect(throws: ReportError.self, "issuing the new draft without --reissue would put two documents in force") {
                try await store.issue(id: drafts[0].id, on: Day("2026-02-04")!, by: "test", configuration: ReportConfiguration())
            }
            await #expect(throws: ReportError.self, "numbers follow the order of issue") {
                try await store.issue(id: drafts[0].id, on: Day("2026-02-02")!, by: "test", reissue: true, configuration: ReportConfiguration())
            }
            let reissued = try await store.issue(id: drafts[0].id, on: Day("2026-02-04")!, by: "test", reissue: true, configuration: ReportConfiguration())
            #expect(reissued.replaces == issued.id && reissued.issue?.number == "冀督改办通〔2026〕2号")
            #expect(try await store.report(id: issued.id).replacedBy == reissued.id)
            #expect(try await inbox.list(for: office, unreadOnly: false, limit: 50, before: nil).map(\.unit) == ["U2"],
                    "A accepted: the reissue no longer names U1, and the replaced notices leave the inbox")
        }
    }

    @Test("a notice drafted before the one it escalates from was issued cannot be issued until the month is run again")
    func escalationFollowsIssuedNotices() async throws {
        let database = try await TestDatabase.fresh("nameshameorder")
        try await database.withPool { pool in
            _ = try await LedgerImporter(pool: pool, logger: TestLogging.logger)
                .importLedger(try LedgerReader.read(Data(ledger(statusOfA: "in_progress").utf8)))
            let store = ReportStore(pool: pool)
            _ = try await nameAndShameNotice("2026-01", pool, issue: false)
            let february = try await nameAndShameNotice("2026-02", pool, issue: false)
            #expect(february.previousNotice == nil && Set(february.named.map(\.level)) == [.reminder], "January's draft does not count")
            let january = try #require(try await store.current(kind: ReportJobs.nameAndShame, period: "2026-01"))
            _ = try await store.issue(id: january.id, on: Day("2026-02-02")!, by: "test", configuration: ReportConfiguration())
            let draft = try #require(try await store.current(kind: ReportJobs.nameAndShame, period: "2026-02"))
            await #expect(throws: ReportError.self, "February was drafted before January's notice was issued") {
                try await store.issue(id: draft.id, on: Day("2026-03-02")!, by: "test", configuration: ReportConfiguration())
            }
            let rerun = try await nameAndShameNotice("2026-02", pool)
            #expect(rerun.previousNotice == "2026-01" && rerun.named.allSatisfy { $0.unit != "U1" || $0.level == .warning },
                    "run again, February escalates from January's issued notice, and issues")
            #expect(try await store.current(kind: ReportJobs.nameAndShame, period: "2026-02")?.issue?.number == "冀督改办通〔2026〕2号")
        }
    }
}
