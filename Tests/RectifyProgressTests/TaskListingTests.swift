import Foundation
import RectifyDomain
import RectifyLedger
import RectifyPostgres
import RectifyProgress
import RectifyTesting
import Testing

@Suite("The task listing that task lists read", .database)
struct TaskListingTests {
    @Test("a list shows every task as it stands after each kind of change: import, submission, extension, decision, notice, renames, deletes")
    func followsEveryChange() async throws {
        try await Self.withListing("tasklisting") { pool, fixture, directory in
            func listed() async throws -> [String: [String: Any]] {
                try await Self.listedMatchesDetail(directory, office: fixture.province, pool: pool)
            }
            var tasks = try await listed()
            #expect(tasks["CEI2-HE-001"]?["overdue"] as? Bool == true, "open and past its 2023 deadline")
            #expect(tasks["CEI2-HE-002"]?["closed_on"] as? String == "2023-07-15")

            let ready = try await fixture.desk.submit(fixture.submission("s1", progress: 100, status: .pendingAcceptance), by: fixture.city)
            try await fixture.runJobs([ready.jobID])
            tasks = try await listed()
            #expect(tasks["CEI2-HE-001"]?["status"] as? String == "pending_acceptance")
            #expect(tasks["CEI2-HE-001"]?["progress"] as? Int == 100)
            #expect(tasks["CEI2-HE-001"]?["overdue"] as? Bool == false, "past its deadline, but waiting on the province: not overdue")

            try await pool.transaction { connection in
                _ = try await DeadlineExtension.extend(task: "CEI2-HE-001", to: Day("2099-12-31")!, reason: "flood season", by: "Province", on: connection)
            }
            tasks = try await listed()
            #expect(tasks["CEI2-HE-001"]?["deadline"] as? String == "2099-12-31")
            #expect(tasks["CEI2-HE-001"]?["overdue"] as? Bool == false)

            let closeOut = CloseOut(pool: pool, publicNotice: .exactly(.milliseconds(200)), timeZone: fixture.zone)
            let accepted = try await closeOut.decide(task: "CEI2-HE-001", decision: .accept, note: "site visit passed", by: fixture.province)
            #expect(try await listed()["CEI2-HE-001"]?["status"] as? String == "accepted")
            try await fixture.runJobs([try #require(accepted.publicNoticeJobID)])
            tasks = try await listed()
            #expect(tasks["CEI2-HE-001"]?["status"] as? String == "closed")
            #expect(tasks["CEI2-HE-001"]?["closed_on"] as? String == Day(containing: Date(), in: fixture.zone).description)

            // Chang'an's unit leads CEI2-HE-002 only, which the re-import leaves as it was: only
            // the rename can refresh that task.
            let renamed = SampleLedger.json { file in
                var units = file["units"] as! [[String: Any]]
                units[1]["name"] = "长安区人民政府"
                file["units"] = units
            }
            _ = try await LedgerImporter(pool: pool, logger: TestLogging.logger).importLedger(try LedgerReader.read(renamed))
            tasks = try await listed()
            #expect(tasks["CEI2-HE-002"]?["lead_unit_name"] as? String == "长安区人民政府")

            // A task's region is named from the task's own region, not its lead unit's.
            try await pool.query("UPDATE rectify_tasks SET region = '130100' WHERE id = 'CEI2-HE-002'")
            try await pool.query("UPDATE rectify_regions SET name = '石家庄市' WHERE code = '130100'")
            tasks = try await listed()
            #expect(tasks["CEI2-HE-001"]?["region_name"] as? String == "石家庄市")
            #expect(tasks["CEI2-HE-002"]?["region_name"] as? String == "石家庄市")

            try await pool.query("DELETE FROM rectify_tasks WHERE id = 'CEI2-HE-002'")
            #expect(try await listed().keys.sorted() == ["CEI2-HE-001"])
            try await pool.query("TRUNCATE rectify_tasks CASCADE")
            #expect(try await listed().isEmpty)
        }
    }

    @Test("the migration that adds the listing fills it from a ledger imported before it")
    func backfill() async throws {
        let database = try await TestDatabase.fresh("tasklistingbackfill")
        try await database.withPool { pool in
            let fixture = try await ProgressFixture.load(pool)
            try await pool.query("""
                DROP TABLE rectify_task_listing; DROP VIEW rectify_task_listing_source;
                DROP FUNCTION rectify_task_listing_refresh() CASCADE;
                DELETE FROM rectify_schema_migrations WHERE component = 'progress' AND version = 3
                """)
            try await pool.query("UPDATE rectify_tasks SET progress = 55 WHERE id = 'CEI2-HE-001'")
            let applied = try await TaskRecordMigrations.migrator.migrate(pool, logger: TestLogging.logger)
            #expect(applied.map(\.version) == [3])
            let directory = TaskDirectory(pool: pool, timeZone: fixture.zone)
            let tasks = try await Self.listedMatchesDetail(directory, office: fixture.province, pool: pool)
            #expect(tasks.keys.sorted() == ["CEI2-HE-001", "CEI2-HE-002"])
            #expect(tasks["CEI2-HE-001"]?["progress"] as? Int == 55)
        }
    }

    @Test("a task changed while its unit is renamed shows both the change and the new name once both commit")
    func changeDuringRename() async throws {
        try await Self.withListing("tasklistingrace") { pool, fixture, directory in
            let change = try await pool.transaction { connection in
                try await connection.query("UPDATE rectify_units SET name = 'Renamed government' WHERE id = 'U-130100-GOV'")
                // The task's change starts while the rename is uncommitted, and waits for it.
                let change = Task { try await pool.query("UPDATE rectify_tasks SET progress = 70 WHERE id = 'CEI2-HE-001'").affectedRows }
                let waiting = try await eventually(timeout: .seconds(5), every: .milliseconds(20)) {
                    try await pool.clientSessions(where: "wait_event_type = 'Lock' AND query LIKE 'UPDATE rectify_tasks%'") > 0
                }
                #expect(waiting, "the task's change waits for the rename to commit")
                return change
            }
            #expect(try await change.value == 1)
            let tasks = try await Self.listedMatchesDetail(directory, office: fixture.province, pool: pool)
            #expect(tasks["CEI2-HE-001"]?["lead_unit_name"] as? String == "Renamed government")
            #expect(tasks["CEI2-HE-001"]?["progress"] as? Int == 70)
        }
    }

    @Test("an import renaming a task's unit and changing the task, and an extension of that task started meanwhile, both commit")
    func importDuringChange() async throws {
        try await Self.withListing("tasklistingimport") { pool, fixture, directory in
            let ledger = try LedgerReader.read(SampleLedger.json { file in
                var units = file["units"] as! [[String: Any]]
                units[0]["name"] = "Renamed government"
                file["units"] = units
                var tasks = file["tasks"] as! [[String: Any]]
                tasks[0]["progress"] = 60
                file["tasks"] = tasks
            })
            let (load, change) = try await pool.transaction { connection in
                // A writer of petitions stops the import inside its lock, after it has taken the tasks table.
                try await connection.execute(script: "LOCK TABLE rectify_petitions IN ROW EXCLUSIVE MODE")
                let load = Task { try await LedgerImporter(pool: pool, logger: TestLogging.logger).importLedger(ledger) }
                #expect(try await eventually(timeout: .seconds(10)) { try await pool.clientSessions(where: "wait_event = 'relation'") == 1 },
                        "the import waits for the petitions")
                let change = Task {
                    try await pool.transaction { connection in
                        try await DeadlineExtension.extend(
                            task: "CEI2-HE-001", to: Day("2027-06-30")!, reason: "flood season", by: "Province", on: connection)
                    }
                }
                #expect(try await eventually(timeout: .seconds(10)) { try await pool.clientSessions(where: "wait_event = 'relation'") == 2 },
                        "the extension waits for the import")
                return (load, change)
            }
            // Had the extension locked the task before waiting, the import's update of the task
            // and the extension's would deadlock here, and one of them would fail.
            let summary = try await load.value
            #expect(summary.arrays.first { $0.name == "units" }?.counts.updated == 1)
            #expect(try await change.value.deadline.new == Day("2027-06-30"))
            let tasks = try await Self.listedMatchesDetail(directory, office: fixture.province, pool: pool)
            #expect(tasks["CEI2-HE-001"]?["lead_unit_name"] as? String == "Renamed government")
            #expect(tasks["CEI2-HE-001"]?["progress"] as? Int == 60)
            #expect(tasks["CEI2-HE-001"]?["deadline"] as? String == "2027-06-30")
        }
    }

    /// Runs `body` on a fresh database holding the sample ledger and its offices, with a
    /// directory of its tasks.
    private static func withListing(
        _ name: String, _ body: (PostgresPool, ProgressFixture, TaskDirectory) async throws -> Void
    ) async throws {
        try await TestDatabase.fresh(name).withPool { pool in
            let fixture = try await ProgressFixture.load(pool)
            try await body(pool, fixture, TaskDirectory(pool: pool, timeZone: fixture.zone))
        }
    }

    /// Lists every task `office` may see and checks that each equals the task as read from the
    /// ledger's own tables; returns the listed tasks by id.
    private static func listedMatchesDetail(
        _ directory: TaskDirectory, office: Office, pool: PostgresPool
    ) async throws -> [String: [String: Any]] {
        let page = try await directory.list(TaskDirectory.Filter(limit: 200), by: office)
        let ids = try await pool.query("SELECT id FROM rectify_tasks ORDER BY id").map { try $0.decode(String.self, at: 0) }
        let document = try #require(try JSONSerialization.jsonObject(with: Data(page.json)) as? [String: Any])
        let objects = try #require(document["tasks"] as? [[String: Any]])
        #expect(objects.count == page.count && document["next_after"] is NSNull)
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
