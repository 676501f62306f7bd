import Foundation
import RectifyDomain
import RectifyLedger
import RectifyPostgres
import RectifyProgress
import RectifyTesting
import Testing

@Suite("A task's history", .database)
struct TaskHistoryTests {
    @Test("changes are kept in order with their old and new values, and vanish with a rolled-back transaction")
    func recordAndRead() async throws {
        let database = try await TestDatabase.fresh("task-history")
        try await database.withPool { pool in
            _ = try await LedgerImporter(pool: pool, logger: TestLogging.logger).importLedger(try LedgerReader.read(SampleLedger.json()))
            let task = "CEI2-HE-001"
            let submitted = TaskChange(
                task: task, source: .submission, actor: "Office 7", reference: "sub-1",
                status: (.notStarted, .inProgress), progress: (0, 30))
            let extended = TaskChange(
                task: task, source: .deadlineExtension, actor: "Province", note: "flood season",
                deadline: (Day("2026-10-31"), Day("2027-03-31")))
            try await pool.transaction { connection in
                try await TaskHistory.record(submitted, on: connection)
                try await TaskHistory.record(extended, on: connection)
            }
            struct Rollback: Error {}
            await #expect(throws: Rollback.self) {
                try await pool.transaction { connection in
                    try await TaskHistory.record(TaskChange(task: task, source: .import, actor: "x.json"), on: connection)
                    throw Rollback()
                }
            }
            let entries = try await pool.transaction { connection in
                try await TaskHistory.entries(task: task, on: connection)
            }
            #expect(entries.map(\.change) == [submitted, extended])
            #expect(entries[0].id < entries[1].id)
            #expect(entries[0].changedAt <= entries[1].changedAt)
        }
    }
}
