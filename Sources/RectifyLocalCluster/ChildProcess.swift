import Foundation
import RectifyPostgres

/// Runs a PostgreSQL program (`initdb`, `pg_ctl`) and collects its output, waiting on a thread
/// of our own. When the current user is root the program runs as the unprivileged `postgres`
/// account through `runuser`, because PostgreSQL refuses to run as root.
struct ChildProcess {
    struct Failure: Error, CustomStringConvertible {
        var program: String
        var status: Int32
        var output: String
        var description: String {
            let lastLines = output.split(separator: "\n").suffix(3).joined(separator: "; ")
            return "\(program) exited with status \(status): \(lastLines)"
        }
    }

    /// Whether this process is root and must drop to the `postgres` account.
    static var runsAsRoot: Bool { geteuid() == 0 }

    /// The account that owns and runs clusters: `postgres` under root, else the current user.
    static let serverAccount = "postgres"

    let executable: String
    let arguments: [String]
    var environment: [String: String] = [:]

    /// Runs to completion; throws ``Failure`` on a non-zero exit.
    @discardableResult
    func run() async throws -> String {
        let command = self
        return try await OwnThread.run(name: "rectify-child-process") { try command.runBlocking() }
    }

    /// Runs to completion on the calling thread (for `atexit` clean-up only).
    @discardableResult
    func runBlocking() throws -> String {
        let argv = Self.runsAsRoot
            ? ["/usr/sbin/runuser", "-u", Self.serverAccount, "--", executable] + arguments
            : [executable] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment.merge(self.environment) { $1 }
        let environmentLines = environment.map { "\($0.key)=\($0.value)" }

        // Output goes to a file, not a pipe: `pg_ctl start` leaves the server running with the
        // inherited descriptors, so a pipe would never reach end-of-file.
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("rectify-child-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).log").path
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var pid: pid_t = 0
        let spawned = withCStrings(argv) { arguments in
            withCStrings(environmentLines) { environment in
                posix_spawn(&pid, argv[0], &actions, nil, arguments, environment)
            }
        }
        guard spawned == 0 else {
            throw Failure(program: program, status: -1, output: "cannot start \(argv[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard exitCode == 0 else { throw Failure(program: program, status: exitCode, output: output) }
        return output
    }

    private var program: String { URL(fileURLWithPath: executable).lastPathComponent }
}

/// Calls `body` with a NULL-terminated C array of C strings, as `execve` wants.
private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
