import Foundation
import RectifyDomain
import RectifyLedger
import RectifyPostgres
import RectifyQueue
import RectifyReports
import RectifyTesting
import RectifyWorker
import Testing

/// Report jobs run on one snapshot while their worker's heartbeats go on.
@Suite("Report jobs across heartbeats", .database)
struct ReportHeartbeatTests {
    @Test("a monthly_schedule job whose run spans several heartbeats completes on its first attempt")
    func reportSpansHeartbeats() async throws {
        let database = try await TestDatabase.fresh("reportheartbeat")
        try await database.withPool { pool in
            _ = try await LedgerImporter(pool: pool, logger: TestLogging.logger).importLedger(try LedgerReader.read(SampleLedger.json()))
            let queue = JobQueue(pool: pool)
            // Another session blocks writes to the reports table: the job reads its snapshot, then
            // waits to write its report while the heartbeats run, as a long national report does.
            let blocker = try await PostgresConnection.connect(database.configuration, logger: TestLogging.logger)
            try await blocker.query("BEGIN")
            try await blocker.query("LOCK TABLE rectify_reports IN SHARE MODE")
            let id = try #require(try await queue.enqueue(
                try JobRequest(kind: ReportJobs.monthlySchedule, args: ReportJobs.Args(period: "2026-10"), queue: "reports")).insertedID)

            var registry = JobRegistry()
            ReportJobs.register(into: &registry)
            var configuration = WorkerConfiguration()
            configuration.queues = ["reports": 1]
            configuration.lease = .milliseconds(600)
            configuration.heartbeatInterval = .milliseconds(100)
            configuration.rescueInterval = .milliseconds(100)
            configuration.pollInterval = .milliseconds(50)
            configuration.retry = RetryPolicy(base: .milliseconds(50), maximum: .milliseconds(100))
            let worker = Worker(pool: pool, registry: registry, configuration: configuration, logger: TestLogging.logger)
            let finished = try await runWorkers([worker], timeout: .seconds(30)) {
                if try await queue.job(id: id).state == .running {
                    // Six heartbeats, and a lease's time, while the report waits to write.
                    try await Task.sleep(for: .milliseconds(600))
                    _ = try? await blocker.query("COMMIT")
                }
                return try await queue.job(id: id).state.isFinished
            }
            await blocker.close()
            #expect(finished)
            let job = try await queue.job(id: id)
            #expect(job.state == .completed)
            #expect(job.attempt == 1, "failed attempts: \(job.errors.map(\.error))")
        }
    }
}
