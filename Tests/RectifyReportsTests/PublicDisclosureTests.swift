import Foundation
import RectifyDomain
import RectifyLedger
import RectifyPostgres
import RectifyQueue
import RectifyReports
import RectifyTesting
import RectifyWorker
import Testing

/// Period 2026-10 (last day 2026-10-31). Two rounds.
/// R1: T1 closed, T2 accepted, T3 in progress due 2025-12-31 (overdue), T4 pending acceptance due 2027;
///     petitions closed, closed, closed in stages; case A1 (concluded) holds U1 and U2, a division and a section cadre.
/// R2: T5 in progress due 2027, T6 not started due 2026-10-31 (overdue on the last day);
///     petitions open, closed; case A2 holds U1, a department cadre and another person;
///     case A3 opened 2026-11-05, after the period: not counted.
/// Province: 6 tasks, 2 completed (1 closed), 4 under way, 2 overdue; 5 petitions, 3 closed, 1 in stages,
/// 1 open; 2 cases, 1 concluded: 2 units held, 2 persons (1 division, 1 section and below); A2, open,
/// holds no one yet and shows as being handled.
private let ledger = #"""
{"format": "rectify-ledger/1",
 "regions": [{"code": "130000", "name": "河北省", "level": "province", "parent": null},
             {"code": "130100", "name": "石家庄市", "level": "city", "parent": "130000"},
             {"code": "130102", "name": "长安区", "level": "county", "parent": "130100"}],
 "units": [{"id": "U1", "name": "石家庄市人民政府", "region": "130100", "kind": "government"},
           {"id": "U2", "name": "长安区人民政府", "region": "130102", "kind": "government"}],
 "rounds": [{"id": "R1", "name": "第二轮中央生态环境保护督察", "group": "G", "region": "130000", "inspected_from": "2022-03-01", "inspected_to": "2022-04-01", "feedback_on": "2022-06-01"},
            {"id": "R2", "name": "第三轮中央生态环境保护督察", "group": "G", "region": "130000", "inspected_from": "2025-04-01", "inspected_to": "2025-05-01", "feedback_on": "2025-07-01"}],
 "tasks": [
  {"id": "T1", "round": "R1", "title": "a", "category": "air", "region": "130100", "lead_unit": "U1", "deadline": "2023-12-31", "status": "closed", "progress": 100, "closed_on": "2024-01-01"},
  {"id": "T2", "round": "R1", "title": "b", "category": "air", "region": "130102", "lead_unit": "U2", "deadline": "2024-12-31", "status": "accepted", "progress": 100, "closed_on": null},
  {"id": "T3", "round": "R1", "title": "c", "category": "water", "region": "130102", "lead_unit": "U2", "deadline": "2025-12-31", "status": "in_progress", "progress": 60, "closed_on": null},
  {"id": "T4", "round": "R1", "title": "d", "category": "soil", "region": "130100", "lead_unit": "U1", "deadline": "2027-06-30", "status": "pending_acceptance", "progress": 100, "closed_on": null},
  {"id": "T5", "round": "R2", "title": "e", "category": "air", "region": "130100", "lead_unit": "U1", "deadline": "2027-12-31", "status": "in_progress", "progress": 20, "closed_on": null},
  {"id": "T6", "round": "R2", "title": "f", "category": "water", "region": "130102", "lead_unit": "U2", "deadline": "2026-10-31", "status": "not_started", "progress": 0, "closed_on": null}],
 "petitions": [
  {"id": "P1", "round": "R1", "region": "130102", "received_on": "2022-03-10", "category": "air", "status": "closed", "closed_on": "2022-05-01"},
  {"id": "P2", "round": "R1", "region": "130102", "received_on": "2022-03-11", "category": "air", "status": "closed", "closed_on": "2022-05-02"},
  {"id": "P3", "round": "R1", "region": "130102", "received_on": "2022-03-12", "category": "soil", "status": "closed_in_stages", "closed_on": "2022-06-01"},
  {"id": "P4", "round": "R2", "region": "130102", "received_on": "2025-04-12", "category": "water", "status": "open", "closed_on": null},
  {"id": "P5", "round": "R2", "region": "130102", "received_on": "2025-04-13", "category": "water", "status": "closed", "closed_on": "2025-06-01"}],
 "accountability": [
  {"id": "A1", "round": "R1", "region": "130100", "source": "transferred_by_inspection", "opened_on": "2022-08-01", "concluded_on": "2023-01-15",
   "units": ["U1", "U2"], "persons": [{"name": "王某", "position": "副区长", "rank": "division", "sanction": "government_sanction"},
                                      {"name": "李某某", "position": "科长", "rank": "section_and_below", "sanction": "admonishment"}]},
  {"id": "A2", "round": "R2", "region": "130100", "source": "provincial", "opened_on": "2025-09-01", "concluded_on": null,
   "units": ["U1"], "persons": [{"name": "张某", "position": "副市长", "rank": "department", "sanction": "party_discipline"},
                                {"name": "刘某", "position": "企业负责人", "rank": "other", "sanction": "organizational_handling"}]},
  {"id": "A3", "round": "R2", "region": "130100", "source": "provincial", "opened_on": "2026-11-05", "concluded_on": null,
   "units": ["U2"], "persons": [{"name": "陈某", "position": "科长", "rank": "section_and_below", "sanction": "admonishment"}]}]}
"""#

@Suite("Public disclosure", .database)
struct PublicDisclosureTests {
    @Test("the paragraph per round and for the province, worked out by hand, quotes the figures the other reports compute")
    func disclosure() async throws {
        let database = try await TestDatabase.fresh("disclosure")
        try await database.withPool { pool in
            _ = try await LedgerImporter(pool: pool, logger: TestLogging.logger).importLedger(try LedgerReader.read(Data(ledger.utf8)))
            let queue = JobQueue(pool: pool)
            let args = ReportJobs.Args(period: "2026-10")
            let ids = try await queue.enqueue(try [ReportJobs.monthlySchedule, ReportJobs.accountabilityTally, ReportJobs.publicDisclosure]
                .map { try JobRequest(kind: $0, args: args) }).compactMap(\.insertedID)
            var registry = JobRegistry()
            ReportJobs.register(into: &registry)
            let worker = Worker(pool: pool, registry: registry, configuration: WorkerConfiguration(), logger: TestLogging.logger)
            #expect(try await runWorkers([worker]) {
                for id in ids where !(try await queue.job(id: id).state.isFinished) { return false }
                return true
            })
            let store = ReportStore(pool: pool)
            func figures<T: Decodable>(_ kind: String, as type: T.Type) async throws -> (T, StoredReport) {
                let report = try #require(try await store.list(period: "2026-10", kind: kind).first)
                return (try JSONDecoder().decode(T.self, from: Data(report.figuresJSON.utf8)), report)
            }
            let (disclosure, report) = try await figures(ReportJobs.publicDisclosure, as: PublicDisclosure.self)
            let (schedule, _) = try await figures(ReportJobs.monthlySchedule, as: MonthlySchedule.self)
            let (tally, _) = try await figures(ReportJobs.accountabilityTally, as: AccountabilityTally.self)

            #expect(disclosure.overall.schedule == schedule.overall && disclosure.overall.tally == tally.overall,
                    "the same figures as the schedule and the tally")
            #expect(disclosure.byRound.map(\.figures.schedule) == schedule.byRound.map(\.figures))
            #expect(disclosure.byRound.map(\.figures.tally) == tally.byRound.map(\.figures))
            let o = disclosure.overall
            let overall: [Int] = [o.schedule.tasks.tasksTotal, o.tasksCompleted, o.schedule.tasks.tasksClosed, o.schedule.tasks.tasksOverdue,
                                  o.schedule.petitionsTotal, o.schedule.petitionsClosed, o.schedule.petitionsClosedInStages,
                                  o.schedule.petitionsOpen, o.tally.casesTotal, o.tally.unitsHeld, o.tally.personsHeld]
            #expect(overall == [6, 2, 1, 2, 5, 3, 1, 1, 2, 2, 2])

            let document = try #require(try JSONSerialization.jsonObject(with: Data(report.documentJSON.utf8)) as? [String: Any])
            #expect(document["kind"] as? String == "public_disclosure")
            let json = try #require(document["figures"] as? [String: Any])
            for name in ["tasks_total", "tasks_closed", "tasks_accepted", "tasks_overdue", "petitions_total", "petitions_closed",
                         "petitions_closed_in_stages", "petitions_open", "cases_total", "units_held", "persons_held", "persons_by_rank",
                         "tasks_completed", "by_round"] {
                #expect(json[name] != nil, "\(name)")
            }
            #expect((json["by_round"] as? [[String: Any]])?.map { $0["round"] as? String } == ["R1", "R2"])

            let zh = try ReportRendering.render(report, as: .md, language: .zh)
            #expect(zh.hasPrefix("> 拟稿"), "a draft until the province issues it")
            #expect(zh.contains("# 中央生态环境保护督察整改落实情况公开（2026年10月）\n"))
            #expect(zh.contains("""
                2022年3月1日至4月1日，G对我省开展第二轮中央生态环境保护督察。2022年6月1日，督察组向我省反馈督察意见。
                """), "each round opens with its inspection, from the ledger")
            #expect(zh.contains("""
                截至2026年10月底，督察反馈问题涉及的4项整改任务，已完成整改2项，2项正在有序推进；督察组交办的3件群众信访举报件，\
                已办结2件、阶段性办结1件。现将整改落实情况公开如下。
                """))
            #expect(zh.contains("""
                督察组移交生态环境损害责任追究问题1个，已办结1个；已办结的问责案件共问责单位2个（次）、人员2人（次），\
                其中县处级干部1人、乡科级及以下干部1人。
                """))
            #expect(zh.contains("已完成整改0项，1项正在有序推进，1项尚未启动；督察组交办的2件群众信访举报件，已办结1件，1件正在办理。"),
                    "not started is not advancing")
            #expect(zh.contains("\n1个问责案件正在办理。\n"), "an open case holds no one yet and is being handled")
            #expect(zh.contains("下一步，") && zh.contains("河北省人民政府"))
            #expect(!zh.contains("超过整改时限") && !zh.contains("逾期") && !zh.contains("R1") && !zh.contains("全省两轮"),
                    "no overdue counts, no ids, one section per round")
            let en = try ReportRendering.render(report, as: .md, language: .en)
            #expect(en.contains("of the 4 rectification tasks fed back, 2 have been completed, 2 are advancing in order"))
            let html = try ReportRendering.render(report, as: .html, language: .zh)
            #expect(html.contains("<h2>第二轮中央生态环境保护督察</h2>") && html.contains("已办结2件、阶段性办结1件"))
            #expect(throws: ReportError.self) { try ReportRendering.render(report, as: .csv, language: .zh) }
        }
    }
}
