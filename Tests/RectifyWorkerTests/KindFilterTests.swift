import RectifyPostgres
import RectifyQueue
import RectifyTesting
import RectifyWorker
import Testing

@Suite("Workers claim only the kinds they can run", .database)
struct KindFilterTests {
    struct Args: Codable, Sendable { var n: Int }

    static let old = JobDefinition(kind: "old_kind", args: Args.self)
    static let new = JobDefinition(kind: "new_kind", args: Args.self)

    @Test("an older worker leaves a newer kind's jobs unclaimed on the shared queue; a newer worker runs them")
    func rollingDeploy() async throws {
        let database = try await TestDatabase.fresh("kindfilter")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            // The newer kind first: an unfiltered claim in priority order would take these first.
            for n in 0..<20 { try await queue.enqueue(Self.new, args: Args(n: n), priority: -1) }
            for n in 0..<20 { try await queue.enqueue(Self.old, args: Args(n: n)) }

            var olderRegistry = JobRegistry()
            olderRegistry.register(Self.old) { _, _ in }
            var newerRegistry = JobRegistry()
            newerRegistry.register(Self.old) { _, _ in }
            newerRegistry.register(Self.new) { _, _ in }
            var configuration = WorkerConfiguration()
            configuration.queues = ["default": 4]
            configuration.pollInterval = .milliseconds(50)
            configuration.workerID = "older"
            let older = Worker(pool: pool, registry: olderRegistry, configuration: configuration, logger: TestLogging.logger)
            #expect(try await runWorkers([older]) {
                try await queue.list(JobFilter(state: .completed, kind: "old_kind")).count == 20
            })
            let waiting = try await queue.list(JobFilter(kind: "new_kind"))
            #expect(waiting.count == 20)
            #expect(waiting.allSatisfy { $0.state == .available && $0.attempt == 0 && $0.errors.isEmpty })

            configuration.workerID = "newer"
            let newer = Worker(pool: pool, registry: newerRegistry, configuration: configuration, logger: TestLogging.logger)
            #expect(try await runWorkers([newer]) {
                try await queue.list(JobFilter(state: .completed, kind: "new_kind")).count == 20
            })
            let ran = try await queue.list(JobFilter(kind: "new_kind"))
            #expect(ran.allSatisfy { $0.attemptedBy == "newer" && $0.attempt == 1 })
        }
    }
}
