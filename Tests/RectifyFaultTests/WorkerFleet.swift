import Foundation
import RectifyTesting

/// Fault workers (`RectifyFaultWorker work`: rectify's worker with the fault kinds) kept at a
/// fixed number: any that exits (killed, or ended by a `fault_crash` job) is replaced by a new
/// one on the next ``supervise()``.
final class WorkerFleet: @unchecked Sendable {
    // @unchecked: used from the one task that drives a fault run, never concurrently.
    private(set) var processes: [RectifyProcess] = []
    /// Workers that exited and were replaced, kept for their output.
    private var retired: [RectifyProcess] = []
    private let arguments: [String]
    private let database: String
    private let environment: [String: String]
    /// Workers started to replace ones that exited.
    private(set) var replacements = 0
    /// Workers that exited without being told to (crash jobs, SIGKILL).
    private(set) var deaths = 0

    init(size: Int, arguments: [String], database: String, environment: [String: String]) throws {
        self.arguments = arguments
        self.database = database
        self.environment = environment
        for _ in 0..<size { processes.append(try start()) }
    }

    private func start() throws -> RectifyProcess {
        try RectifyProcess(arguments, database: database, environment: environment, program: .faultWorker)
    }

    /// The live workers.
    var live: [RectifyProcess] { processes.filter { $0.exitCodeIfExited() == nil } }

    /// Replaces workers that exited since the last call.
    func supervise() throws {
        for (index, process) in processes.enumerated() {
            if process.exitCodeIfExited() != nil {
                deaths += 1
                retired.append(process)
                processes[index] = try start()
                replacements += 1
            }
        }
    }

    /// Stops every current worker with SIGTERM (one that already exited is not signalled);
    /// returns their exit codes, those of workers that exited since the last ``supervise()``
    /// included.
    func stopAll() async throws -> [Int32] {
        var codes: [Int32] = []
        for process in processes { process.send(SIGTERM) }
        for process in processes { codes.append(try await process.waitForExit()) }
        return codes
    }

    /// How many lines containing `text` all workers, replaced ones included, wrote.
    func lines(containing text: String) -> Int {
        (processes + retired).reduce(0) { $0 + $1.output.split(separator: "\n").count { $0.contains(text) } }
    }

    /// The last lines every worker wrote, for failure messages.
    var outputTails: String {
        processes.map { "--- worker \($0.pid)\n" + $0.output.split(separator: "\n").suffix(8).joined(separator: "\n") }
            .joined(separator: "\n")
    }
}
