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
        let outputPath = Spawn.temporaryOutputPath("child")
        defer { unlink(outputPath) }
        let pid: pid_t
        do {
            pid = try Spawn.start(argv, environment: environment, outputPath: outputPath)
        } catch {
            throw Failure(program: program, status: -1, output: "cannot start \(argv[0]): \(error)")
        }
        let exitCode = Spawn.waitBlocking(pid)
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard exitCode == 0 else { throw Failure(program: program, status: exitCode, output: output) }
        return output
    }

    private var program: String { URL(fileURLWithPath: executable).lastPathComponent }
}
