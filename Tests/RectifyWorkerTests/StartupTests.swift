import Foundation
import RectifyPostgres
import RectifyQueue
import RectifyTesting
import Testing

/// A worker started while its database is down waits for it instead of exiting.
@Suite("Worker start-up", .processes)
struct StartupTests {
    @Test("`rectify work` started with the database down retries, then works once it is up")
    func waitsForDatabase() async throws {
        let cluster = try await PrivateTestCluster.start()
        do {
            let url = try cluster.configuration.conninfo()
            let migrate = try await RectifyProcess.run(["migrate"], database: url)
            #expect(migrate.status == 0, "\(migrate.output)")
            try await cluster.stopServer()
            let worker = try RectifyProcess(["work", "--poll", "0.2", "--log-level", "info"], database: url)
            // Wait for the log line rather than a fixed time: on a loaded machine the process may
            // take seconds to start at all.
            #expect(try await eventually(timeout: .seconds(30)) { worker.output.contains("waiting for the database") },
                    "\(worker.output.suffix(600))")
            try await Task.sleep(for: .seconds(3))
            #expect(kill(worker.pid, 0) == 0, "the worker exited: \(worker.output.suffix(600))")
            try await cluster.startServer()
            try await PostgresPool.withPool(configuration: cluster.configuration, logger: TestLogging.logger) { pool in
                let queue = JobQueue(pool: pool)
                let id = try #require(try await queue.enqueue(try JobRequest(kind: "noop")).insertedID)
                #expect(try await eventually(timeout: .seconds(30)) { try await queue.job(id: id).state == .completed },
                        "\(worker.output.suffix(600))")
            }
            worker.send(SIGTERM)
            #expect(try await worker.waitForExit() == 0)
        } catch {
            Issue.record(error)
        }
        await cluster.destroy()
    }
}
