import Foundation
import RectifyDomain
import RectifyPostgres
import RectifyQueue
import RectifyReports
import RectifyTesting
import RectifyWorker
import Testing

/// Runs the name-and-shame job for `period` through a worker and returns the notice it stored;
/// with `issue`, the province then issues it on the first day of the month after, so the next
/// notice escalates from it.
func nameAndShameNotice(_ period: String, _ pool: PostgresPool, issue: Bool = true) async throws -> NameAndShame {
    let queue = JobQueue(pool: pool)
    let id = try #require(try await queue.enqueue(try JobRequest(kind: ReportJobs.nameAndShame, args: ReportJobs.Args(period: period))).insertedID)
    var registry = JobRegistry()
    ReportJobs.register(into: &registry)
    let worker = Worker(pool: pool, registry: registry, configuration: WorkerConfiguration(), logger: TestLogging.logger)
    #expect(try await runWorkers([worker]) { try await queue.job(id: id).state.isFinished })
    #expect(try await queue.job(id: id).state == .completed)
    let store = ReportStore(pool: pool)
    let report = try #require(try await store.current(kind: ReportJobs.nameAndShame, period: period))
    if issue, report.isDraft {
        _ = try await store.issue(id: report.id, on: Period(period)!.next.firstDay, by: "test", configuration: ReportConfiguration())
    }
    return try JSONDecoder().decode(NameAndShame.self, from: Data(report.figuresJSON.utf8))
}
