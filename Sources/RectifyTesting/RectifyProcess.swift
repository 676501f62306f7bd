public import Foundation
import RectifyLocalCluster
import RectifyPostgres
import Synchronization

/// The `rectify` executable built next to the test bundle (or the fault suite's worker), or
/// another program a test drives (`.ci/ha-cluster`), run as a child process.
///
/// The child is reaped, and its exit code kept, under the same lock that guards ``send(_:)``:
/// once reaped, its pid is free for the system to give to another process, so nothing signals
/// or waits for it any more. A child dropped without a wait is killed and reaped when the value
/// goes.
public final class RectifyProcess: Sendable {
    /// The child's process id; another process's once the child has been reaped.
    public let pid: pid_t
    private let outputPath: String
    /// The exit code, once the child has been reaped.
    private let exitCode = Mutex<Int32?>(nil)

    /// Which program of the build folder to run.
    public enum Program: String, Sendable {
        /// `rectify`, as shipped.
        case rectify
        /// `RectifyFaultWorker`: `rectify`'s commands plus the fault suite's job kinds.
        case faultWorker = "RectifyFaultWorker"
    }

    /// The binary of `program` in the build folder of the running tests.
    public static func executable(_ program: Program = .rectify) -> String {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testBinary.deletingLastPathComponent().appendingPathComponent(program.rawValue).path
    }

    /// Starts `rectify arguments…` (or another `program`) with `DATABASE_URL` set to `database`
    /// (unless nil), and `environment` on top.
    public convenience init(
        _ arguments: [String], database: String?, environment: [String: String] = [:], program: Program = .rectify
    ) throws {
        try self.init(argv: [Self.executable(program)] + arguments, environment: ["DATABASE_URL": database ?? ""].merging(environment) { $1 })
    }

    /// Starts another program (`argv[0]` a path), with `environment` on top of the test's.
    public init(argv: [String], environment: [String: String] = [:]) throws {
        outputPath = Spawn.temporaryOutputPath("process")
        pid = try Spawn.start(argv, environment: environment, outputPath: outputPath)
    }

    deinit {
        if exitCode.withLock({ $0 }) == nil {
            kill(pid, SIGKILL)
            // Reaped on a thread of its own: deinit may run on one of Swift's cooperative pool.
            let pid = self.pid
            OwnThread.start(name: "rectify-test-reap") { _ = Spawn.waitBlocking(pid) }
        }
        unlink(outputPath)
    }

    /// Sends a signal (`SIGTERM`, `SIGKILL`, `SIGSTOP`, `SIGCONT`), unless the child was reaped.
    public func send(_ signal: Int32) {
        exitCode.withLock { code in
            if code == nil { kill(pid, signal) }
        }
    }

    /// Waits for the process to exit and returns its exit code (128 + signal if killed).
    public func waitForExit() async throws -> Int32 {
        if let code = exitCode.withLock({ $0 }) { return code }
        let pid = self.pid
        // Waits without reaping, so that the reap happens under the lock.
        try await OwnThread.run(name: "rectify-test-wait") { Spawn.waitForExitWithoutReaping(pid) }
        guard let code = exitCodeIfExited() else {
            throw POSIXError(.ECHILD)
        }
        return code
    }

    /// The exit code if the process has exited (reaping it), else nil; never waits.
    public func exitCodeIfExited() -> Int32? {
        exitCode.withLock { known in
            if known == nil, let code = Spawn.exitCodeIfExited(pid) { known = code }
            return known
        }
    }

    /// Waits up to `limit` for the process to exit and returns its exit code; `nil` if it was
    /// still running then, after which it is killed.
    public func waitForExit(within limit: Duration) async throws -> Int32? {
        let deadline = Task { () -> Bool in
            do { try await Task.sleep(for: limit) } catch { return false }
            send(SIGKILL)
            return true
        }
        defer { deadline.cancel() }
        let code = try await waitForExit()
        deadline.cancel()
        return await deadline.value ? nil : code
    }

    /// Everything the process wrote to stdout and stderr so far.
    public var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// Runs another program (`argv[0]` a path) to completion; returns its output.
    ///
    /// - Throws: ``CommandFailure`` naming the command, its exit code and the end of its output
    ///   when it exits non-zero.
    public static func output(of argv: [String]) async throws -> String {
        let process = try RectifyProcess(argv: argv)
        let status = try await process.waitForExit()
        guard status == 0 else {
            throw CommandFailure(description: "\(argv.joined(separator: " ")) exited with \(status):\n\(process.output.suffix(3000))")
        }
        return process.output
    }

    /// Runs `rectify arguments…` to completion; returns its exit code and output.
    public static func run(
        _ arguments: [String], database: String?, environment: [String: String] = [:]
    ) async throws -> (status: Int32, output: String) {
        let process = try RectifyProcess(arguments, database: database, environment: environment)
        let status = try await process.waitForExit()
        return (status, process.output)
    }
}

/// A program a test ran failed, or printed something other than what the test needs.
public struct CommandFailure: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) { self.description = description }
}

/// Polls `condition` until it holds or `timeout` passes. The default is long enough for a
/// child process to start and work while the whole suite runs in parallel on two cores (a
/// worker once took over 20 s there); a condition that never holds fails only later.
public func eventually(
    timeout: Duration = .seconds(60), every interval: Duration = .milliseconds(50),
    _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: interval)
    }
    return try await condition()
}
