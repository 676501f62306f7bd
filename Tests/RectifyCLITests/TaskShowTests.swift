import Foundation
import RectifyDomain
import RectifyLedger
import RectifyPostgres
import RectifyProgress
import RectifyTesting
import Testing

@Suite("rectify task show", .processes)
struct TaskShowTests {
    @Test("prints the task with names and its history with who, what and why; an unknown id is one line")
    func showsHistory() async throws {
        let database = try await TestDatabase.fresh("taskshow")
        try await database.withPool { pool in
            _ = try await LedgerImporter(pool: pool, logger: TestLogging.logger).importLedger(try LedgerReader.read(SampleLedger.json()))
            try await pool.transaction { connection in
                try await TaskHistory.record(TaskChange(
                    task: "CEI2-HE-001", source: .rejection, actor: "Provincial office (office 3)", note: "evidence missing",
                    status: (.pendingAcceptance, .inProgress)), on: connection)
            }
        }
        let shown = try await RectifyProcess.run(["task", "show", "CEI2-HE-001"], database: database.url)
        #expect(shown.status == 0, "\(shown.output)")
        #expect(shown.output.contains("CEI2-HE-001  Close dust sources"))
        #expect(shown.output.contains("lead unit  Shijiazhuang Municipal Government (U-130100-GOV)"))
        #expect(shown.output.contains("rejection by Provincial office (office 3): status pending_acceptance → in_progress — evidence missing"),
                "\(shown.output)")
        let missing = try await RectifyProcess.run(["task", "show", "NOPE"], database: database.url)
        #expect(missing.status != 0 && missing.output.contains("no task NOPE"))
    }
}
