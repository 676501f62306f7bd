import Foundation
import RectifyDomain
import RectifyLedger
import RectifyPostgres
import RectifyProgress
import RectifyTesting
import Testing

@Suite("The task listing that task lists read")
struct TaskListingTests {
    @Test("a list shows every task as it stands after each kind of change: import, submission, extension, decision, notice, renames")
    func followsEveryChange() async throws {
        let database = try await TestDatabase.fresh("tasklisting")
        try await database.withPool { pool in
            let fixture = try await ProgressFixture.load(pool)
            let directory = TaskDirectory(pool: pool, timeZone: fixture.zone)
            func listed() async throws -> [String: [String: Any]] {
                try await Self.listedMatchesDetail(directory, office: fixture.province, pool: pool)
            }
            var tasks = try await listed()
            #expect(tasks["CEI2-HE-001"]?["overdue"] as? Bool == true, "open and past its 2023 deadline")
            #expect(tasks["CEI2-HE-002"]?["closed_on"] as? String == "2023-07-15")

            try await pool.transaction { connection in
                _ = try await DeadlineExtension.extend(task: "CEI2-HE-001", to: Day("2099-12-31")!, reason: "flood season", by: "Province", on: connection)
            }
            tasks = try await listed()
            #expect(tasks["CEI2-HE-001"]?["deadline"] as? String == "2099-12-31")
            #expect(tasks["CEI2-HE-001"]?["overdue"] as? Bool == false)

            let ready = try await fixture.desk.submit(fixture.submission("s1", progress: 100, status: .pendingAcceptance), by: fixture.city)
            try await fixture.runJobs([ready.jobID])
            tasks = try await listed()
            #expect(tasks["CEI2-HE-001"]?["status"] as? String == "pending_acceptance")
            #expect(tasks["CEI2-HE-001"]?["progress"] as? Int == 100)

            let closeOut = CloseOut(pool: pool, publicNotice: .milliseconds(200), timeZone: fixture.zone)
            let accepted = try await closeOut.decide(task: "CEI2-HE-001", decision: .accept, note: "site visit passed", by: fixture.province)
            #expect(try await listed()["CEI2-HE-001"]?["status"] as? String == "accepted")
            try await fixture.runJobs([try #require(accepted.publicNoticeJobID)])
            tasks = try await listed()
            #expect(tasks["CEI2-HE-001"]?["status"] as? String == "closed")
            #expect(tasks["CEI2-HE-001"]?["closed_on"] as? String == TaskDirectory.today(in: fixture.zone).description)

            let renamed = SampleLedger.json { file in
                var units = file["units"] as! [[String: Any]]
                units[0]["name"] = "石家庄市人民政府"
                file["units"] = units
                var regions = file["regions"] as! [[String: Any]]
                regions[2]["name"] = "长安区"
                file["regions"] = regions
            }
            _ = try await LedgerImporter(pool: pool, logger: TestLogging.logger).importLedger(try LedgerReader.read(renamed))
            tasks = try await listed()
            #expect(tasks["CEI2-HE-001"]?["lead_unit_name"] as? String == "石家庄市人民政府")
            #expect(tasks["CEI2-HE-002"]?["region_name"] as? String == "长安区")
            #expect(tasks["CEI2-HE-002"]?["lead_unit_name"] as? String == "Chang'an District Government")
        }
    }

    /// Lists every task `office` may see and checks that each equals the task as read from the
    /// ledger's own tables; returns the listed tasks by id.
    private static func listedMatchesDetail(
        _ directory: TaskDirectory, office: Office, pool: PostgresPool
    ) async throws -> [String: [String: Any]] {
        let page = try await directory.list(TaskDirectory.Filter(limit: 200), by: office)
        let ids = try await pool.query("SELECT id FROM rectify_tasks ORDER BY id").map { try $0.decode(String.self, at: 0) }
        let objects = try page.tasks.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects.map { $0["id"] as? String } == ids)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for object in objects {
            let id = try #require(object["id"] as? String)
            let detail = try await directory.task(id).task
            let expected = try #require(try JSONSerialization.jsonObject(with: try encoder.encode(detail)) as? NSDictionary)
            // JSONEncoder leaves a nil closed_on out; compare the rest.
            #expect(NSDictionary(dictionary: object.filter { !($0.value is NSNull) }) == expected, "\(id)")
        }
        return Dictionary(uniqueKeysWithValues: objects.map { ($0["id"] as! String, $0) })
    }
}
