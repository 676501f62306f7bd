public import Foundation
import RectifyPostgres

/// The `rectify` executable built next to the test bundle, run as a child process.
public final class RectifyProcess: Sendable {
    /// The child's process id.
    public let pid: pid_t
    private let outputPath: String

    /// The `rectify` binary in the build folder of the running tests.
    public static var executable: String {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testBinary.deletingLastPathComponent().appendingPathComponent("rectify").path
    }

    /// Starts `rectify arguments…` with `DATABASE_URL` set to `database` (unless nil).
    public init(_ arguments: [String], database: String?) throws {
        outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("rectify-process-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).log").path
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = database ?? ""
        let argv = [Self.executable] + arguments
        let environmentLines = environment.map { "\($0.key)=\($0.value)" }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var pid: pid_t = 0
        let argvPointers = argv.map { strdup($0) } + [nil]
        let environmentPointers = environmentLines.map { strdup($0) } + [nil]
        defer { (argvPointers + environmentPointers).forEach { free($0) } }
        let status = posix_spawn(&pid, argv[0], &actions, nil, argvPointers, environmentPointers)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EINVAL) }
        self.pid = pid
    }

    deinit {
        kill(pid, SIGKILL)
        unlink(outputPath)
    }

    /// Sends a signal (`SIGTERM`, `SIGKILL`, `SIGSTOP`, `SIGCONT`).
    public func send(_ signal: Int32) { kill(pid, signal) }

    /// Waits for the process to exit and returns its exit code (128 + signal if killed).
    public func waitForExit() async throws -> Int32 {
        let pid = self.pid
        return try await OwnThread.run(name: "rectify-test-wait") {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        }
    }

    /// Everything the process wrote to stdout and stderr so far.
    public var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// Runs `rectify arguments…` to completion; returns its exit code and output.
    public static func run(_ arguments: [String], database: String?) async throws -> (status: Int32, output: String) {
        let process = try RectifyProcess(arguments, database: database)
        let status = try await process.waitForExit()
        return (status, process.output)
    }
}

/// Polls `condition` until it holds or `timeout` passes.
public func eventually(
    timeout: Duration = .seconds(20), every interval: Duration = .milliseconds(50),
    _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: interval)
    }
    return try await condition()
}
