import Foundation
import RectifyAPI
import RectifyPostgres
import RectifyTesting
import RectifyWorker
import Synchronization
import Testing

/// The workers' liveness gauge that `rectify serve`'s `/metrics` reads from the database.
@Suite("The liveness gauge", .database)
struct WorkerLivenessGaugeTests {
    @Test("a running worker stays live in rectify_workers_live after three of the gauge's windows")
    func workerStaysLive() async throws {
        let database = try await TestDatabase.fresh("workerlive")
        try await database.withPool { pool in
            // The gauge counts workers seen within two leases: windows of 3 s.
            let lease = Duration.milliseconds(1500)
            var fastConfiguration = WorkerConfiguration()
            fastConfiguration.lease = lease
            fastConfiguration.heartbeatInterval = lease / 4
            fastConfiguration.pollInterval = .milliseconds(50)
            let worker = Worker(
                pool: pool, registry: JobRegistry(), configuration: fastConfiguration, logger: TestLogging.logger)
            let started = ContinuousClock.now
            let seen = Mutex("")
            let live = try await runWorkers([worker], timeout: .seconds(40)) {
                // The gauge's window is two leases; look only after three of them. A worker whose
                // heartbeats stopped after its first record is never live again, so waiting for
                // the gauge from then on tolerates a stalled machine without proving less.
                guard started.duration(to: .now) > lease * 2 * 3 + .milliseconds(300) else { return false }
                let text = try await ProgrammeGauges.exposition(pool: pool, lease: lease, timeZone: TimeZone(identifier: "UTC")!)
                seen.withLock { $0 = text }
                return text.contains("rectify_workers_live 1")
            }
            let exposition = seen.withLock { $0 }
            #expect(live, "\(exposition.split(separator: "\n").filter { $0.contains("workers_live") })")
        }
    }
}
