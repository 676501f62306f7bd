import Foundation
import RectifyPostgres
import RectifyQueue
import RectifyReports
import RectifyTesting
import RectifyWorker
import Testing

/// Runs the name-and-shame job for `period` through a worker and returns the notice it stored.
func nameAndShameNotice(_ period: String, _ pool: PostgresPool) async throws -> NameAndShame {
    let queue = JobQueue(pool: pool)
    let id = try #require(try await queue.enqueue(try JobRequest(kind: ReportJobs.nameAndShame, args: ReportJobs.Args(period: period))).insertedID)
    var registry = JobRegistry()
    ReportJobs.register(into: &registry)
    let worker = Worker(pool: pool, registry: registry, configuration: WorkerConfiguration(), logger: TestLogging.logger)
    #expect(try await runWorkers([worker]) { try await queue.job(id: id).state.isFinished })
    #expect(try await queue.job(id: id).state == .completed)
    let report = try #require(try await ReportStore(pool: pool).list(period: period, kind: ReportJobs.nameAndShame).first)
    return try JSONDecoder().decode(NameAndShame.self, from: Data(report.figuresJSON.utf8))
}
