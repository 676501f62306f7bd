import Foundation
import RectifyPostgres
import RectifyQueue
import RectifyTesting
import RectifyWorker
import Synchronization
import Testing

@Suite("Handlers ending attempts their own way", .database)
struct JobControlTests {
    struct Step: Codable, Sendable { var action: String }

    @Test("snooze reschedules without spending an attempt, cancel ends the job, a failure retries, an unknown kind is left unclaimed")
    func controlledOutcomes() async throws {
        let database = try await TestDatabase.fresh("control")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let snoozed = Atomic<Int>(0)
            var registry = JobRegistry()
            registry.register("step", args: Step.self) { step, _ in
                switch step.action {
                case "snooze_once" where snoozed.add(1, ordering: .relaxed).oldValue == 0:
                    throw JobControl.snooze(.milliseconds(100))
                case "cancel":
                    throw JobControl.cancel(reason: "the task was withdrawn from the ledger")
                case "fail":
                    struct Broken: Error {}
                    throw Broken()
                default:
                    return
                }
            }
            let ids = try await queue.enqueue([
                try JobRequest(kind: "step", args: Step(action: "snooze_once")),
                try JobRequest(kind: "step", args: Step(action: "cancel")),
                try JobRequest(kind: "step", args: Step(action: "fail"), maxAttempts: 2),
                try JobRequest(kind: "unheard_of", maxAttempts: 1),
            ]).compactMap(\.insertedID)
            #expect(ids.count == 4)

            var configuration = WorkerConfiguration()
            configuration.pollInterval = .milliseconds(50)
            configuration.promoteInterval = .milliseconds(50)
            configuration.retry = RetryPolicy(base: .milliseconds(50), maximum: .milliseconds(50))
            let worker = Worker(pool: pool, registry: registry, configuration: configuration, logger: TestLogging.logger)
            let settled = try await runWorkers([worker]) {
                for id in ids.prefix(3) where !(try await queue.job(id: id).state.isFinished) { return false }
                return true
            }
            #expect(settled)

            let snooze = try await queue.job(id: ids[0])
            #expect(snooze.state == .completed)
            #expect(snooze.attempt == 2)
            #expect(snooze.maxAttempts == 21, "a snooze gives its attempt back")
            let cancel = try await queue.job(id: ids[1])
            #expect(cancel.state == .cancelled)
            #expect(cancel.errors.last?.error == "cancelled: the task was withdrawn from the ledger")
            let failure = try await queue.job(id: ids[2])
            #expect(failure.state == .discarded)
            #expect(failure.errors.count == 2)
            let unknown = try await queue.job(id: ids[3])
            #expect(unknown.state == .available && unknown.attempt == 0, "a kind the worker has no handler for is not claimed")
        }
    }
}
