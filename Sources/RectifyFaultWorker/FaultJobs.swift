import Foundation
import Logging
import RectifyPostgres
import RectifyQueue
import RectifyWorker

/// Job kinds for the fault suite (Tests/RectifyFaultTests, RELIABILITY.md), in the test-only
/// `RectifyFaultWorker` executable: the shipped `rectify` has no code path to them.
///
/// - `fault_effect` `{"key": "e-1", "sleep_ms": 100}`: sleeps, then inserts one row into
///   `rectify_fault_effects` inside the transaction that completes the job. The table has no
///   unique constraint, so an effect committed twice shows as two rows. The suite creates it.
/// - `fault_fail`: always throws (retried, then discarded).
/// - `fault_crash`: ends the worker process at once with exit code 70 (rescued, then discarded
///   once its attempts are used up).
/// - `fault_sleep` `{"sleep_ms": n}`: a plain handler that sleeps (long jobs, timeouts).
/// - `fault_visit` `{"key": "v-1"}`: a plain handler, run at least once: appends its key as a
///   line to a file of its worker's own in the folder `RECTIFY_FAULT_VISITS` names, outside any
///   transaction, so the suite counts how often a plain job ran.
enum FaultJobs {
    struct EffectArgs: Codable, Sendable {
        var key: String
        var sleepMs: Int?
    }

    struct SleepArgs: Codable, Sendable {
        var sleepMs: Int
    }

    struct VisitArgs: Codable, Sendable {
        var key: String
    }

    struct NoArgs: Codable, Sendable {}

    struct InjectedFailure: Error, CustomStringConvertible {
        var description: String { "fault_fail always fails" }
    }

    static func register(into registry: inout JobRegistry) {
        registry.register("fault_effect", args: EffectArgs.self) { args, connection, context in
            if let sleep = args.sleepMs, sleep > 0 { try await Task.sleep(for: .milliseconds(sleep)) }
            try await connection.query("""
                INSERT INTO rectify_fault_effects (key, job_id, attempt, worker)
                VALUES (\(args.key), \(context.job.id), \(context.job.attempt), \(context.workerID))
                """)
        }
        registry.register("fault_fail", args: NoArgs.self) { _, _ in throw InjectedFailure() }
        registry.register("fault_crash", args: NoArgs.self) { _, context in
            context.logger.warning("fault_crash: ending the worker process")
            exit(70)
        }
        registry.register("fault_sleep", args: SleepArgs.self) { args, _ in
            try await Task.sleep(for: .milliseconds(args.sleepMs))
        }
        registry.register("fault_visit", args: VisitArgs.self) { args, _ in
            guard let folder = ProcessInfo.processInfo.environment["RECTIFY_FAULT_VISITS"] else { return }
            let path = "\(folder)/\(getpid())"
            // O_APPEND: each line lands whole at the end, whatever else wrote before.
            let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
            defer { close(descriptor) }
            let line = Array((args.key + "\n").utf8)
            guard write(descriptor, line, line.count) == line.count else { throw CocoaError(.fileWriteUnknown) }
        }
    }
}
