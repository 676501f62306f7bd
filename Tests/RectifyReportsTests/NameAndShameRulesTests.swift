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

/// One city, three units, one round; notices for 2026-01 and 2026-03, none for 2026-02 (a
/// missed run). Every task is reported every month from January to March.
/// E (U1): deadline 2025-12-31, progress 10/20/30 → overdue: January 2026-02-01 − 2025-12-31 = 32
///         days, March 2026-04-01 − 2025-12-31 = 91 days.
/// D (U1): deadline 2026-03-31 (March's last day), progress 30/40/50 → overdue in March, 1 day.
/// S (U2): progress 20/20/20 → stalled in March (N = 2).
/// P (U3): pending acceptance, 100/100/100 → never stalled: the wait is the province's.
private let ledger = #"""
{"format": "rectify-ledger/1",
 "regions": [{"code": "130000", "name": "Hebei", "level": "province", "parent": null},
             {"code": "130100", "name": "Shijiazhuang", "level": "city", "parent": "130000"}],
 "units": [{"id": "U1", "name": "Unit one", "region": "130100", "kind": "government"},
           {"id": "U2", "name": "Unit two", "region": "130100", "kind": "department"},
           {"id": "U3", "name": "Unit three", "region": "130100", "kind": "department"}],
 "rounds": [{"id": "R1", "name": "Round", "group": "G", "region": "130000", "inspected_from": "2022-03-01", "inspected_to": "2022-04-01", "feedback_on": "2022-06-01"}],
 "tasks": [
  {"id": "D", "round": "R1", "title": "d", "category": "air", "region": "130100", "lead_unit": "U1", "deadline": "2026-03-31", "status": "in_progress", "progress": 50, "closed_on": null},
  {"id": "E", "round": "R1", "title": "e", "category": "air", "region": "130100", "lead_unit": "U1", "deadline": "2025-12-31", "status": "in_progress", "progress": 30, "closed_on": null},
  {"id": "P", "round": "R1", "title": "p", "category": "soil", "region": "130100", "lead_unit": "U3", "deadline": "2030-12-31", "status": "pending_acceptance", "progress": 100, "closed_on": null},
  {"id": "S", "round": "R1", "title": "s", "category": "water", "region": "130100", "lead_unit": "U2", "deadline": "2030-12-31", "status": "in_progress", "progress": 20, "closed_on": null}]}
"""#

@Suite("Name-and-shame rules", .database)
struct NameAndShameRulesTests {
    @Test("overdue on the period's last day, pending acceptance never stalled, a missed month neither escalates nor resets")
    func rules() async throws {
        let database = try await TestDatabase.fresh("nameshamerules")
        try await database.withPool { pool in
            _ = try await LedgerImporter(pool: pool, logger: TestLogging.logger).importLedger(try LedgerReader.read(Data(ledger.utf8)))
            let office = try await OfficeRegistry(pool: pool).add(region: "130100", name: "City office", role: nil).office
            let reports: [(task: String, status: String, progress: [Int])] = [
                ("D", "in_progress", [30, 40, 50]), ("E", "in_progress", [10, 20, 30]),
                ("S", "in_progress", [20, 20, 20]), ("P", "pending_acceptance", [100, 100, 100]),
            ]
            for (task, status, progress) in reports {
                for (month, value) in zip(["2026-01", "2026-02", "2026-03"], progress) {
                    try await pool.query("""
                        INSERT INTO rectify_progress_submissions (submission_id, office, task, period, progress, status)
                        VALUES (\(task + month), \(office.id), \(task), \(month), \(value), \(status))
                        """)
                }
            }

            let january = try await nameAndShameNotice("2026-01", pool)
            #expect(january.named.map { "\($0.unit) \($0.task) \($0.reason.rawValue) \($0.daysOverdue) \($0.level.rawValue)" }
                    == ["U1 E overdue 32 reminder"])
            #expect(january.previousNotice == nil)

            // February's run was missed: no notice. March escalates from January's.
            let march = try await nameAndShameNotice("2026-03", pool)
            #expect(march.named.map { "\($0.unit) \($0.task) \($0.reason.rawValue) \($0.daysOverdue) \($0.level.rawValue)" } == [
                "U1 D overdue 1 warning", "U1 E overdue 91 warning", "U2 S stalled 0 reminder",
            ])
            #expect(march.previousNotice == "2026-01")
            #expect(march.named.first { $0.unit == "U1" }?.previousLevel == .reminder)
            #expect(!march.named.contains { $0.task == "P" }, "a task pending acceptance waits on the province")
        }
    }

    @Test("an extended deadline is measured as extended and shown beside the original one")
    func extendedDeadline() async throws {
        let database = try await TestDatabase.fresh("nameshameextended")
        try await database.withPool { pool in
            _ = try await LedgerImporter(pool: pool, logger: TestLogging.logger).importLedger(try LedgerReader.read(Data(ledger.utf8)))
            let office = try await OfficeRegistry(pool: pool).add(region: "130100", name: "City office", role: nil).office
            for (task, progress) in [("D", 50), ("E", 30), ("S", 20), ("P", 100)] {
                for month in ["2026-01", "2026-02", "2026-03"] {
                    try await pool.query("""
                        INSERT INTO rectify_progress_submissions (submission_id, office, task, period, progress, status)
                        VALUES (\(task + month), \(office.id), \(task), \(month), \(progress),
                                \(task == "P" ? "pending_acceptance" : "in_progress"))
                        """)
                }
            }
            try await pool.transaction { connection in
                try await DeadlineExtension.extend(task: "E", to: Day("2026-12-31")!, reason: "征地手续延后", by: "省督察整改办", on: connection)
                try await DeadlineExtension.extend(task: "S", to: Day("2031-06-30")!, reason: "资金分年度下达", by: "省督察整改办", on: connection)
            }
            let march = try await nameAndShameNotice("2026-03", pool)
            #expect(march.named.map { "\($0.task) \($0.reason.rawValue) \($0.deadline) \($0.originalDeadline ?? "-")" } == [
                "D overdue 2026-03-31 -", "D stalled 2026-03-31 -", "E stalled 2026-12-31 2025-12-31", "S stalled 2031-06-30 2030-12-31",
            ], "every task reported flat for three months; E, extended to December, is stalled but no longer overdue")
            let text = try rendered(ReportJobs.nameAndShame, march, period: "2026-03", issuedOn: "2026-04-01")
            #expect(text.contains("| 2031年6月30日（延期，原定2030年12月31日） | 推进滞后 |"))
        }
    }
}
