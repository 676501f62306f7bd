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

/// Period 2025-12: last day 2025-12-31; the month after is 2026-01.
/// Cities 130100 (county 130102), 130200 (county 130203) and 130300 (no tasks at all).
/// Units: U0 in the province, U1 in 130100, U2 in 130200, U3 in county 130102.
/// T1 130102 U3 deadline 2025-12-30 in_progress        → overdue
/// T2 130102 U3 deadline 2025-12-31 in_progress        → overdue: due on the last day, late as of the month's end
/// T3 130100 U1 deadline 2026-01-15 not_started        → due next month, across the year boundary
/// T4 130203 U2 deadline 2025-12-15 pending_acceptance → never overdue: waits on the province, past its deadline
/// T5 130203 U2 deadline 2025-06-30 accepted           → never overdue once accepted
/// T6 130200 U2 (R2) closed; T7 130203 U2 (R2) deadline 2026-02-01 in_progress → neither
/// T8 130100 U0 (R2) deadline 2026-06-30 in_progress   → neither; the province's own unit leads it
///
/// Offices due to report (an unfinished task whose lead unit sits in the office's own region):
/// 石家庄 130100 (T3, R1), 长安 130102 (T1 T2, R1), 唐山 130200 (T7 R2; not T4, pending), the province (T8, R2);
/// 路北 130203 has no unit of its own and is due for nothing. December submissions: 长安 on T1,
/// 唐山 on T4 (R1 only); 石家庄 reported T3 for November only.
/// Not reported: overall 石家庄 and the province (2; units U1 and U0); R1 石家庄 (1; U1); R2 唐山 and
/// the province (2; U2 and U0).
/// The province extends T7 to 2026-06-30: one extended task, in R2, and still neither overdue nor due.
private let ledger = #"""
{"format": "rectify-ledger/1",
 "regions": [{"code": "130000", "name": "Hebei", "level": "province", "parent": null},
             {"code": "130100", "name": "Shijiazhuang", "level": "city", "parent": "130000"},
             {"code": "130102", "name": "Chang'an", "level": "county", "parent": "130100"},
             {"code": "130200", "name": "Tangshan", "level": "city", "parent": "130000"},
             {"code": "130203", "name": "Lubei", "level": "county", "parent": "130200"},
             {"code": "130300", "name": "Qinhuangdao", "level": "city", "parent": "130000"}],
 "units": [{"id": "U0", "name": "Provincial Department", "region": "130000", "kind": "department"},
           {"id": "U1", "name": "Shijiazhuang Government", "region": "130100", "kind": "government"},
           {"id": "U2", "name": "Tangshan Government", "region": "130200", "kind": "government"},
           {"id": "U3", "name": "Chang'an Government", "region": "130102", "kind": "government"}],
 "rounds": [{"id": "R1", "name": "Round one", "group": "G", "region": "130000", "inspected_from": "2022-03-01", "inspected_to": "2022-04-01", "feedback_on": "2022-06-01"},
            {"id": "R2", "name": "Round two", "group": "G", "region": "130000", "inspected_from": "2024-03-01", "inspected_to": "2024-04-01", "feedback_on": "2024-06-01"}],
 "tasks": [
  {"id": "T1", "round": "R1", "title": "a", "category": "air", "region": "130102", "lead_unit": "U3", "deadline": "2025-12-30", "status": "in_progress", "progress": 50, "closed_on": null},
  {"id": "T2", "round": "R1", "title": "b", "category": "air", "region": "130102", "lead_unit": "U3", "deadline": "2025-12-31", "status": "in_progress", "progress": 50, "closed_on": null},
  {"id": "T3", "round": "R1", "title": "c", "category": "water", "region": "130100", "lead_unit": "U1", "deadline": "2026-01-15", "status": "not_started", "progress": 0, "closed_on": null},
  {"id": "T4", "round": "R1", "title": "d", "category": "soil", "region": "130203", "lead_unit": "U2", "deadline": "2025-12-15", "status": "pending_acceptance", "progress": 100, "closed_on": null},
  {"id": "T5", "round": "R1", "title": "e", "category": "soil", "region": "130203", "lead_unit": "U2", "deadline": "2025-06-30", "status": "accepted", "progress": 100, "closed_on": null},
  {"id": "T6", "round": "R2", "title": "f", "category": "ecology", "region": "130200", "lead_unit": "U2", "deadline": "2025-01-01", "status": "closed", "progress": 100, "closed_on": "2025-02-01"},
  {"id": "T7", "round": "R2", "title": "g", "category": "climate", "region": "130203", "lead_unit": "U2", "deadline": "2026-02-01", "status": "in_progress", "progress": 10, "closed_on": null},
  {"id": "T8", "round": "R2", "title": "h", "category": "other", "region": "130100", "lead_unit": "U0", "deadline": "2026-06-30", "status": "in_progress", "progress": 10, "closed_on": null}],
 "petitions": [
  {"id": "P1", "round": "R1", "region": "130102", "received_on": "2022-03-10", "category": "air", "status": "open", "closed_on": null},
  {"id": "P2", "round": "R1", "region": "130102", "received_on": "2022-03-11", "category": "air", "status": "closed", "closed_on": "2022-05-01"},
  {"id": "P3", "round": "R2", "region": "130203", "received_on": "2024-03-12", "category": "water", "status": "closed_in_stages", "closed_on": "2024-07-01"}]}
"""#

@Suite("Monthly scheduling report", .database)
struct MonthlyScheduleTests {
    @Test("figures worked out by hand: overdue on or before the month's last day, due next month across the year, offices due for their own region, every region with zeros")
    func figures() async throws {
        let database = try await TestDatabase.fresh("schedule")
        try await database.withPool { pool in
            _ = try await LedgerImporter(pool: pool, logger: TestLogging.logger).importLedger(try LedgerReader.read(Data(ledger.utf8)))
            let offices = OfficeRegistry(pool: pool)
            let city = try await offices.add(region: "130100", name: "Shijiazhuang office", role: nil).office
            _ = try await offices.add(region: "130203", name: "Lubei office", role: nil)
            let chang = try await offices.add(region: "130102", name: "Chang'an office", role: nil).office
            _ = try await offices.add(region: "130000", name: "Provincial office", role: nil)
            let tangshan = try await offices.add(region: "130200", name: "Tangshan office", role: nil).office
            try await pool.query("""
                INSERT INTO rectify_progress_submissions (submission_id, office, task, period, progress, status)
                VALUES ('s1', \(chang.id), 'T1', '2025-12', 55, 'in_progress'), ('s2', \(city.id), 'T3', '2025-11', 0, 'not_started'),
                       ('s3', \(tangshan.id), 'T4', '2025-12', 100, 'pending_acceptance')
                """)

            try await pool.transaction { connection in
                try await DeadlineExtension.extend(task: "T7", to: Day("2026-06-30")!, reason: "冬季停工", by: "省督察整改办", on: connection)
            }

            let queue = JobQueue(pool: pool)
            let id = try #require(try await queue.enqueue(try JobRequest(
                kind: ReportJobs.monthlySchedule, args: ReportJobs.Args(period: "2025-12"))).insertedID)
            #expect(try await runWorkers([worker(pool)]) { try await queue.job(id: id).state.isFinished })
            #expect(try await queue.job(id: id).state == .completed)

            let report = try #require(try await ReportStore(pool: pool).list(kind: ReportJobs.monthlySchedule).first)
            let schedule = try JSONDecoder().decode(MonthlySchedule.self, from: Data(report.figuresJSON.utf8))
            let tasks = schedule.overall.tasks
            let byStatus: [Int] = [tasks.tasksTotal, tasks.tasksClosed, tasks.tasksAccepted, tasks.tasksPendingAcceptance,
                                   tasks.tasksInProgress, tasks.tasksNotStarted]
            #expect(byStatus == [8, 1, 1, 1, 4, 1])
            #expect(tasks.tasksOverdue == 2, "T1 and T2, due on the period's last day")
            #expect(tasks.tasksDueNextMonth == 1, "T3; T4 waits on the province")
            #expect(tasks.tasksPendingAcceptancePastDeadline == 1, "T4, the province's backlog, never overdue")
            #expect(tasks.tasksNewlyOverdue == 2 && tasks.tasksClosedInPeriod == 0)
            #expect(schedule.overall.unitsNotReported == 2, "U1 (T3) and U0 (T8)")
            let petitions: [Int] = [schedule.overall.petitionsTotal, schedule.overall.petitionsClosed,
                                    schedule.overall.petitionsClosedInStages, schedule.overall.petitionsOpen]
            #expect(petitions == [3, 1, 1, 1])
            #expect(schedule.overall.officesNotReported == 2, "石家庄 and the province; 长安 and 唐山 reported, 路北 was due for nothing")

            #expect(schedule.byRound.map(\.round) == ["R1", "R2"])
            #expect(schedule.byRound.map(\.name) == ["Round one", "Round two"])
            let r1 = schedule.byRound[0].figures
            let roundOne: [Int] = [r1.tasks.tasksTotal, r1.tasks.tasksOverdue, r1.tasks.tasksDueNextMonth, r1.petitionsTotal, r1.officesNotReported]
            #expect(roundOne == [5, 2, 1, 2, 1])
            let r2 = schedule.byRound[1].figures
            let roundTwo: [Int] = [r2.tasks.tasksTotal, r2.tasks.tasksClosed, r2.petitionsClosedInStages, r2.officesNotReported]
            #expect(roundTwo == [3, 1, 1, 2], "唐山 reported on R1's T4 only; the province on nothing")
            let extended: [Int] = [schedule.overall.tasksExtended, r1.tasksExtended, r2.tasksExtended]
            #expect(extended == [1, 0, 1], "T7, extended, is counted overall and in R2")

            #expect(schedule.byRegion.map(\.region) == ["130100", "130102", "130200", "130203", "130300"])
            let totals: [[Int]] = schedule.byRegion.map { [$0.figures.tasksTotal, $0.figures.tasksOverdue, $0.figures.tasksDueNextMonth] }
            #expect(totals == [[4, 2, 1], [2, 2, 0], [4, 0, 0], [3, 0, 0], [0, 0, 0]],
                    "a city's figures include its counties'; a city without tasks has its row of zeros")

            #expect(schedule.cityRanking.map(\.region) == ["130200", "130300", "130100"])
            #expect(schedule.cityRanking.map(\.rank) == [1, 1, 3], "a city without tasks is on schedule and keeps its place")
            #expect(schedule.cityRanking[2].tasksOnSchedule == 2)

            let csv: [String] = try ReportRendering.render(report, as: .csv, language: .en).split(separator: "\r\n").map(String.init)
            #expect(csv.count == 9, "header, the province, two rounds, three cities and two counties")
            #expect(csv[0] == "period,scope,name,tasks_total,tasks_closed,tasks_accepted,tasks_pending_acceptance,tasks_in_progress,"
                + "tasks_pending_acceptance_past_deadline,tasks_not_started,tasks_overdue,tasks_due_next_month,tasks_closed_in_period,"
                + "tasks_newly_overdue,petitions_total,petitions_closed,petitions_closed_in_stages,petitions_open,offices_not_reported,"
                + "units_not_reported")
            #expect(csv[1] == "2025-12,all,,8,1,1,1,4,1,1,2,1,0,2,3,1,1,1,2,2")
            #expect(csv[2] == "2025-12,R1,Round one,5,0,1,1,2,1,1,2,1,0,2,2,1,0,1,1,1")
            #expect(csv.last == "2025-12,130300,Qinhuangdao,0,0,0,0,0,0,0,0,0,0,0,,,,,,")

            let reminders = try await pool.query("""
                SELECT n.kind, o.name, (SELECT string_agg(x->>'task', ',') FROM jsonb_array_elements(n.tasks) x)
                FROM rectify_notifications n JOIN rectify_offices o ON o.id = n.office ORDER BY n.kind, o.name
                """).map { try $0.decode((String, String, String).self) }.map { "\($0.0) \($0.1) \($0.2)" }
            // T4 waits on the province: no office is reminded of it, nor due to report on it.
            #expect(reminders == [
                "due_next_month Provincial office T3", "due_next_month Shijiazhuang office T3",
                "not_reported Provincial office T8", "not_reported Shijiazhuang office T3",
            ])
            let rerun = try #require(try await queue.enqueue(try JobRequest(
                kind: ReportJobs.monthlySchedule, args: ReportJobs.Args(period: "2025-12"))).insertedID)
            #expect(try await runWorkers([worker(pool)]) { try await queue.job(id: rerun).state.isFinished })
            #expect(try await pool.query("SELECT count(*) FROM rectify_notifications")[0].decode(Int.self, at: 0) == 4,
                    "running the month again replaces its draft's notifications")

            let document = try #require(try JSONSerialization.jsonObject(with: Data(report.documentJSON.utf8)) as? [String: Any])
            let figures = try #require(document["figures"] as? [String: Any])
            for name in ["tasks_total", "tasks_closed", "tasks_accepted", "tasks_in_progress", "tasks_not_started", "tasks_overdue",
                         "tasks_due_next_month", "petitions_total", "petitions_closed", "petitions_closed_in_stages",
                         "petitions_open", "offices_not_reported", "units_not_reported", "tasks_pending_acceptance_past_deadline",
                         "by_round", "by_region"] {
                #expect(figures[name] != nil, "SPEC figure \(name) is present")
            }
        }
    }

    private func worker(_ pool: PostgresPool) -> Worker {
        var registry = JobRegistry()
        ReportJobs.register(into: &registry)
        return Worker(pool: pool, registry: registry, configuration: WorkerConfiguration(), logger: TestLogging.logger)
    }
}
