import RectifyPostgres
@testable import RectifyQueue
import RectifyTesting
import RectifyWorker
import Testing

/// Right after a large enqueue, until autovacuum analyzes the jobs table again, the planner
/// expects a handful of available jobs. On its own it then collects the whole backlog and sorts
/// it at every claim; on a worker's own connections it reads the claim index in order.
@Suite("The claim's plan", .database)
struct ClaimPlanTests {
    @Test("on a jobs table not analyzed since a large enqueue, a claim on the worker's settings does not sort the backlog")
    func claimWithStaleStatistics() async throws {
        let database = try await TestDatabase.fresh("claimplan")
        try await database.withPool { pool in
            // Never analyzed, as until autovacuum's next round. The plan flips to the sort between
            // 100,000 and 150,000 jobs; at fill factors of 10, 30,000 jobs take the pages of
            // 300,000 at a tenth of the writing, and, unlogged, none of it goes to the WAL of the
            // cluster the other tests share.
            try await pool.query("ALTER TABLE rectify_jobs SET (autovacuum_enabled = false, fillfactor = 10)")
            try await pool.query("ALTER INDEX rectify_jobs_claim SET (fillfactor = 10)")
            try await pool.query("ALTER TABLE rectify_jobs SET UNLOGGED")
            let backlog = try (0..<30_000).map { _ in try JobRequest(kind: "noop", argsJSON: "{}", queue: "backlog") }
            _ = try await JobQueue(pool: pool).enqueue(backlog)
            let claim = JobQueueSQL.claim(queue: "backlog", kinds: ["noop"], limit: 200, workerID: "plan", lease: .seconds(30))
            let explain = PostgresQuery(sql: "EXPLAIN " + claim.sql, binds: claim.binds)
            func plan(on pool: PostgresPool) async throws -> String {
                try await pool.query(explain).map { try $0.decode(String.self, at: 0) }.joined(separator: "\n")
            }
            let plain = try await plan(on: pool)
            #expect(plain.contains("Sort"), "without the worker's settings the planner no longer sorts; this test proves nothing:\n\(plain)")

            var configuration = database.configuration
            configuration.sessionSettings.merge(Worker.bookkeepingSessionSettings) { _, own in own }
            let worker = try await PostgresPool.withPool(configuration: configuration, logger: TestLogging.logger) {
                try await plan(on: $0)
            }
            #expect(!worker.contains("Sort"), "the claim sorts the backlog:\n\(worker)")
            #expect(worker.contains("rectify_jobs_claim"), "the claim does not read its index:\n\(worker)")
        }
    }
}
