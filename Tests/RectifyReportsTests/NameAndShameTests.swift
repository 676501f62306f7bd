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

/// Task A (unit U1): deadline 2026-01-10, never reported → overdue and not_reported every month,
/// counted to the first day after the period (January: 2026-02-01 − 2026-01-10 = 22 days).
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
                    == ["U1 A not_reported reminder 0", "U1 A overdue reminder 22"])
            #expect(january.unitsNamed == 1 && january.tasksNamed == 1)
            let csvLines: [String] = CSVRenderer.notice(january, period: "2026-01", language: .en)
                .split(separator: "\r\n").map(String.init)
            #expect(csvLines == [
                "period,city,unit,unit_name,region,region_name,task,task_title,deadline,original_deadline,reason,days_overdue,level",
                "2026-01,Shijiazhuang,U1,Unit one,130100,Shijiazhuang,A,a,2026-01-10,,not_reported,0,reminder",
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
            #expect(again == may, "running the month again gives the same notice")
            #expect(try await ReportStore(pool: pool).list(period: "2026-05", kind: ReportJobs.nameAndShame).count == 1)
            #expect(try await pool.query("SELECT count(*) FROM rectify_notifications WHERE period = '2026-05'")[0].decode(Int.self, at: 0) == 2,
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
                kind: ProgressJobs.applyProgress, args: ProgressJobs.Args(submission: "B-2026-03", period: "2026-03"),
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

    @Test("an office's read mark survives the notice's re-run; a notice the re-run no longer sends goes with its mark")
    func readMarksSurviveReruns() async throws {
        let database = try await TestDatabase.fresh("nameshamereads")
        try await database.withPool { pool in
            let importer = LedgerImporter(pool: pool, logger: TestLogging.logger)
            _ = try await importer.importLedger(try LedgerReader.read(Data(ledger(statusOfA: "in_progress").utf8)))
            let office = try await OfficeRegistry(pool: pool).add(region: "130100", name: "City office", role: nil).office
            let inbox = OfficeInbox(pool: pool)
            _ = try await nameAndShameNotice("2026-01", pool)
            let first = try await inbox.list(for: office, unreadOnly: false, limit: 50, before: nil)
            #expect(first.map { "\($0.kind) \($0.unit ?? "-") \($0.level ?? "-") \($0.read)" }
                    == ["named U2 reminder false", "named U1 reminder false"], "B not reported, A overdue and not reported")
            let notice = try #require(first.first { $0.unit == "U1" })
            try await inbox.markRead(notice.id, for: office)

            _ = try await nameAndShameNotice("2026-01", pool)
            let again = try await inbox.list(for: office, unreadOnly: false, limit: 50, before: nil)
            #expect(again.map(\.id) == first.map(\.id), "the re-run's notices to the same units at the same levels are the same notices")
            #expect(again.map(\.read) == [false, true], "and the office has read U1's")
            #expect(try await inbox.list(for: office, unreadOnly: true, limit: 50, before: nil).map(\.unit) == ["U2"])

            _ = try await importer.importLedger(try LedgerReader.read(Data(ledger(statusOfA: "accepted").utf8)))
            _ = try await nameAndShameNotice("2026-01", pool)
            #expect(try await inbox.list(for: office, unreadOnly: false, limit: 50, before: nil).map(\.unit) == ["U2"],
                    "A accepted: U1 is no longer named in January")
            let marks = try await pool.query("SELECT count(*) FROM rectify_notification_reads")[0].decode(Int.self, at: 0)
            #expect(marks == 0, "the mark went with its notice")
        }
    }
}
