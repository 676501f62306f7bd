import Foundation
import RectifyDomain
import RectifyLedger
import RectifyPostgres
import RectifyProgress
import RectifyTesting
import Testing

@Suite("A dynamic ledger: imports and extensions in a task's history", .database)
struct DynamicLedgerTests {
    @Test("a re-import that overwrites an office's applied progress leaves a trace naming the file and its sha256")
    func importLeavesTrace() async throws {
        let database = try await TestDatabase.fresh("importhistory")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rectify-history-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("ledger-2026-10.json")
        try SampleLedger.json().write(to: file)
        try await database.withPool { pool in
            let importer = LedgerImporter(pool: pool, logger: TestLogging.logger)
            _ = try await importer.importFile(at: file.path)
            let afterFirst = try await pool.query("SELECT count(*) FROM rectify_task_history")[0].decode(Int.self, at: 0)
            #expect(afterFirst == 0, "a first import creates tasks; it overwrites nothing")

            // An office's submission was applied: CEI2-HE-001 went from 40 % to 65 %, pending acceptance at 100 is not reached.
            try await pool.query("UPDATE rectify_tasks SET progress = 65 WHERE id = 'CEI2-HE-001'")
            _ = try await importer.importFile(at: file.path)
            let entries = try await pool.transaction { try await TaskHistory.entries(task: "CEI2-HE-001", on: $0) }
            #expect(entries.count == 1)
            let change = try #require(entries.first?.change)
            #expect(change.source == .import && change.actor == "ledger-2026-10.json")
            #expect(change.progress.old == 65 && change.progress.new == 40)
            #expect(change.status.old == nil && change.deadline.old == nil, "only what changed is kept")
            let digest = try await pool.query(
                "SELECT encode(sha256(convert_to(\(String(decoding: try Data(contentsOf: file), as: UTF8.self)), 'UTF8')), 'hex')"
            )[0].decode(String.self, at: 0)
            #expect(change.reference == digest)

            _ = try await importer.importFile(at: file.path)
            let again = try await pool.query("SELECT count(*) FROM rectify_task_history")[0].decode(Int.self, at: 0)
            #expect(again == 1, "importing the same file again changes nothing and records nothing")
        }
    }

    @Test("an extension moves the deadline with its reason in the history; refusals write nothing")
    func deadlineExtension() async throws {
        let database = try await TestDatabase.fresh("extension")
        try await database.withPool { pool in
            _ = try await LedgerImporter(pool: pool, logger: TestLogging.logger).importLedger(try LedgerReader.read(SampleLedger.json()))
            let refusals: [(String, Day, String, String)] = [
                ("CEI2-HE-002", Day("2027-01-31")!, "汛期", "task CEI2-HE-002: status: the task is already closed; its deadline is not extended"),
                ("CEI2-HE-001", Day("2023-12-31")!, "汛期", "task CEI2-HE-001: deadline: 2023-12-31 is not later than the current deadline 2023-12-31"),
                ("CEI2-HE-001", Day("2027-03-31")!, " ", "task CEI2-HE-001: reason: an extension needs the reason for it"),
                ("CEI2-HE-404", Day("2027-03-31")!, "汛期", "task CEI2-HE-404: no such task"),
            ]
            for (task, day, reason, message) in refusals {
                let error = await #expect(throws: DeadlineExtension.Refusal.self) {
                    try await pool.transaction { try await DeadlineExtension.extend(task: task, to: day, reason: reason, by: "省督察整改办", on: $0) }
                }
                #expect(error?.message == message)
            }
            #expect(try await pool.query("SELECT count(*) FROM rectify_task_history")[0].decode(Int.self, at: 0) == 0)

            try await pool.transaction { connection in
                try await DeadlineExtension.extend(
                    task: "CEI2-HE-001", to: Day("2027-03-31")!, reason: "受汛期影响，施工窗口推迟", by: "省督察整改办",
                    reference: "冀督改办函〔2026〕31号", on: connection)
            }
            #expect(try await pool.query("SELECT deadline::text FROM rectify_tasks WHERE id = 'CEI2-HE-001'")[0].decode(String.self, at: 0)
                    == "2027-03-31")
            let entries = try await pool.transaction { try await TaskHistory.entries(task: "CEI2-HE-001", on: $0) }
            #expect(entries.map(\.change) == [TaskChange(
                task: "CEI2-HE-001", source: .deadlineExtension, actor: "省督察整改办", reference: "冀督改办函〔2026〕31号",
                note: "受汛期影响，施工窗口推迟", deadline: (Day("2023-12-31"), Day("2027-03-31")))])
        }
    }
}
