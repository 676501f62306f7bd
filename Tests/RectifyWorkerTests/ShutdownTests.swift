import Foundation
import RectifyPostgres
import RectifyQueue
import RectifyTesting
import RectifyWorker
import Synchronization
import Testing

/// Service loops stop when their task is cancelled, not only on graceful shutdown.
@Suite("Cancelled workers stop", .processes)
struct ShutdownTests {
    @Test("a cancelled Worker returns within its grace period, its running job given back")
    func cancelledWorkerReturns() async throws {
        let database = try await TestDatabase.fresh("cancelworker")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let id = try #require(try await queue.enqueue(try JobRequest(kind: "noop", argsJSON: #"{"sleep_ms": 60000}"#)).insertedID)
            var registry = JobRegistry()
            BuiltinJobs.register(into: &registry)
            var configuration = LeaseTests.fastConfiguration()
            configuration.shutdownGracePeriod = .seconds(1)
            let worker = Worker(pool: pool, registry: registry, configuration: configuration, logger: TestLogging.logger)
            let returned = await returns(within: .seconds(15)) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await worker.run() }
                    _ = try await eventually { try await queue.job(id: id).state == .running }
                    group.cancelAll()
                    try await group.waitForAll()
                }
            }
            #expect(returned, "the cancelled worker kept running")
            #expect(try await eventually(timeout: .seconds(10)) { try await queue.job(id: id).state != .running })
        }
    }

    @Test("`rectify work --scheduler` whose worker fails at start-up exits non-zero within seconds")
    func failedStartExits() async throws {
        let database = try await TestDatabase.fresh("failedstart")
        try await database.withPool { pool in
            // The worker cannot register itself: its start fails, the scheduler must stop too.
            try await pool.query("DROP TABLE rectify_workers")
        }
        let process = try RectifyProcess(["work", "--scheduler"], database: database.url)
        let status = Mutex<Int32?>(nil)
        let exited = await returns(within: .seconds(30)) {
            let code = try await process.waitForExit()
            status.withLock { $0 = code }
        }
        if !exited { process.send(SIGKILL) }
        #expect(exited, "still running after 30 s: \(process.output.suffix(600))")
        let code = status.withLock { $0 }
        #expect(code != nil && code != 0, "exit status \(String(describing: code)): \(process.output.suffix(600))")
    }
}
