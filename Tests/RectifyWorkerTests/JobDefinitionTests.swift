import RectifyPostgres
import RectifyQueue
import RectifyTesting
import RectifyWorker
import Testing

@Suite("A job definition's timeout and retry policy govern its jobs", .database)
struct JobDefinitionTests {
    struct NoArgs: Codable, Sendable {}
    struct Broken: Error {}

    @Test("the definition's retry policy and timeout are used instead of the worker's defaults")
    func definitionSettings() async throws {
        let database = try await TestDatabase.fresh("definitions")
        try await database.withPool { pool in
            let flaky = JobDefinition(
                kind: "flaky", args: NoArgs.self, maxAttempts: 3, retry: RetryPolicy(base: .milliseconds(20), maximum: .milliseconds(20)))
            let slow = JobDefinition(kind: "slow", args: NoArgs.self, timeout: .milliseconds(100), maxAttempts: 1)
            var registry = JobRegistry()
            registry.register(flaky) { _, _ in throw Broken() }
            registry.register(slow) { _, _ in try await Task.sleep(for: .seconds(60)) }
            let queue = JobQueue(pool: pool)
            let flakyID = try #require(try await queue.enqueue(flaky, args: NoArgs()).insertedID)
            let slowID = try #require(try await queue.enqueue(slow, args: NoArgs()).insertedID)

            var configuration = WorkerConfiguration()
            configuration.pollInterval = .milliseconds(50)
            configuration.promoteInterval = .milliseconds(50)
            // With the worker's policy a failed attempt would wait an hour, and a job an hour to time out.
            configuration.retry = RetryPolicy(base: .seconds(3600), maximum: .seconds(3600))
            configuration.jobTimeout = .seconds(3600)
            let worker = Worker(pool: pool, registry: registry, configuration: configuration, logger: TestLogging.logger)
            #expect(try await runWorkers([worker]) {
                let (flakyState, slowState) = (try await queue.job(id: flakyID).state, try await queue.job(id: slowID).state)
                return flakyState == .discarded && slowState == .discarded
            })
            let flakyJob = try await queue.job(id: flakyID)
            #expect(flakyJob.attempt == 3 && flakyJob.errors.count == 3)
            let slowJob = try await queue.job(id: slowID)
            #expect(slowJob.errors.first?.error.contains("timed out after") == true, "\(slowJob.errors)")
        }
    }
}
