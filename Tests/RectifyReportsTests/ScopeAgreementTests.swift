import Foundation
import RectifyDomain
import RectifyLedger
import RectifyPostgres
import RectifyProgress
import RectifyReports
import RectifyTesting
import Testing

/// A province, two cities and a county under the first, a unit at each, a task for each, and
/// one task (X) filed under the county's region but led by the city's unit: the scope rule
/// follows the lead unit, so the county office does not answer for X.
private let ledger = #"""
    {"format": "rectify-ledger/1",
     "regions": [{"code": "130000", "name": "Hebei", "level": "province", "parent": null},
                 {"code": "130100", "name": "Shijiazhuang", "level": "city", "parent": "130000"},
                 {"code": "130102", "name": "Chang'an", "level": "county", "parent": "130100"},
                 {"code": "130200", "name": "Tangshan", "level": "city", "parent": "130000"}],
     "units": [{"id": "P", "name": "Provincial department", "region": "130000", "kind": "department"},
               {"id": "C", "name": "City government", "region": "130100", "kind": "government"},
               {"id": "K", "name": "County bureau", "region": "130102", "kind": "department"},
               {"id": "T", "name": "Other city government", "region": "130200", "kind": "government"}],
     "rounds": [{"id": "R1", "name": "Round", "group": "G", "region": "130000", "inspected_from": "2022-03-01", "inspected_to": "2022-04-01", "feedback_on": "2022-06-01"}],
     "tasks": [
      {"id": "TP", "round": "R1", "title": "p", "category": "air", "region": "130000", "lead_unit": "P", "deadline": "2030-12-31", "status": "in_progress", "progress": 10, "closed_on": null},
      {"id": "TC", "round": "R1", "title": "c", "category": "air", "region": "130100", "lead_unit": "C", "deadline": "2030-12-31", "status": "in_progress", "progress": 10, "closed_on": null},
      {"id": "TK", "round": "R1", "title": "k", "category": "air", "region": "130102", "lead_unit": "K", "deadline": "2030-12-31", "status": "in_progress", "progress": 10, "closed_on": null},
      {"id": "TT", "round": "R1", "title": "t", "category": "air", "region": "130200", "lead_unit": "T", "deadline": "2030-12-31", "status": "in_progress", "progress": 10, "closed_on": null},
      {"id": "X", "round": "R1", "title": "x", "category": "air", "region": "130102", "lead_unit": "C", "deadline": "2030-12-31", "status": "in_progress", "progress": 10, "closed_on": null}]}
    """#

@Suite("One scope rule", .database)
struct ScopeAgreementTests {
    @Test("submissions, task lists, a task's page and the reports' office tasks agree on which tasks each office has")
    func everyDoorAgrees() async throws {
        let database = try await TestDatabase.fresh("scope")
        try await database.withPool { pool in
            _ = try await LedgerImporter(pool: pool, logger: TestLogging.logger).importLedger(try LedgerReader.read(Data(ledger.utf8)))
            let registry = OfficeRegistry(pool: pool)
            let expected: [(region: String, tasks: Set<String>)] = [
                ("130000", ["TP", "TC", "TK", "TT", "X"]), ("130100", ["TC", "TK", "X"]), ("130102", ["TK"]), ("130200", ["TT"]),
            ]
            let timeZone = TimeZone(identifier: "Asia/Shanghai")!
            let directory = TaskDirectory(pool: pool, timeZone: timeZone)
            let desk = ProgressDesk(pool: pool, timeZone: timeZone)
            for (region, tasks) in expected {
                let office = try await registry.add(region: region, name: "Office \(region)", role: nil).office
                let page = try await directory.list(TaskDirectory.Filter(limit: 200), by: office)
                let listed = try #require(try JSONSerialization.jsonObject(with: Data(page.json)) as? [String: Any])["tasks"]
                    as? [[String: Any]]
                #expect(Set(listed?.compactMap { $0["id"] as? String } ?? []) == tasks, "the task list of \(region)")

                var shown: Set<String> = []
                var accepted: Set<String> = []
                for task in ["TP", "TC", "TK", "TT", "X"] {
                    if (try? await directory.task(task, by: office)) != nil { shown.insert(task) }
                    let submission = ProgressSubmission(
                        submissionID: "\(region)-\(task)", task: task, period: try #require(Period("2026-01")), progress: 20,
                        status: .inProgress)
                    do {
                        _ = try await desk.submit(submission, by: office)
                        accepted.insert(task)
                    } catch let error as ProgressError where error.code == .outOfScope {}
                }
                #expect(shown == tasks, "the task pages \(region) may open")
                #expect(accepted == tasks, "the submissions \(region) may send")

                let answered = try await pool.query("SELECT task FROM rectify_office_tasks WHERE office = \(office.id)")
                    .map { try $0.decode(String.self, at: 0) }
                #expect(Set(answered) == tasks, "the tasks the reports' reminders count for \(region)")
            }
        }
    }
}
