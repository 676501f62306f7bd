public import Foundation

/// Starting a program with its output in a file, and waiting for it: the two halves of
/// running PostgreSQL's tools and, in tests, `rectify` itself.
///
/// Output goes to a file, not a pipe: `pg_ctl start` leaves the server running with the
/// inherited descriptors, so a pipe would never reach end-of-file.
public enum Spawn {
    /// Starts `argv[0]` with `argv` and `environment` (merged over this process's), stdin from
    /// `/dev/null`, stdout and stderr into `outputPath`, and no other descriptor of this process:
    /// a server that `pg_ctl start` leaves running must not keep, say, the lock file of a
    /// `flock rectify …` that started it, which would hold the lock for the server's lifetime.
    ///
    /// - Returns: the child's process id.
    /// - Throws: `POSIXError` when the program cannot be started.
    public static func start(_ argv: [String], environment: [String: String] = [:], outputPath: String) throws -> pid_t {
        closeOnExecAboveStandardStreams()
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argvPointers = argv.map { strdup($0) } + [nil]
        let environmentPointers = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argvPointers + environmentPointers).forEach { free($0) } }
        // The child starts with no signal blocked and every signal at its default: a thread of
        // Dispatch's pool blocks most signals, and NIO ignores SIGPIPE, and a child inherits
        // both (pg_autoctl, which stops its services with SIGINT, then waits forever).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let status = posix_spawn(&pid, argv[0], &actions, &attributes, argvPointers, environmentPointers)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EINVAL) }
        return pid
    }

    /// Marks this process's descriptors above stderr close-on-exec, so that no child inherits
    /// them (the descriptors rectify opens itself mostly are already; those it inherited, like a
    /// `flock`'s, are not).
    private static func closeOnExecAboveStandardStreams() {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for case let descriptor? in entries.map({ Int32($0) }) where descriptor > 2 {
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0 && flags & FD_CLOEXEC == 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// Blocks until `pid` exits; returns its exit code, or 128 + the signal that killed it.
    /// Call it on a thread of your own.
    public static func waitBlocking(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return exitCode(status)
    }

    /// Blocks until `pid` has exited, leaving it to be reaped (``exitCodeIfExited(_:)``).
    /// Call it on a thread of your own.
    public static func waitForExitWithoutReaping(_ pid: pid_t) {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
    }

    /// The child's exit code if it has exited (reaping it), else nil; never blocks.
    public static func exitCodeIfExited(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == pid ? exitCode(status) : nil
    }

    /// The exit code `waitpid(2)` reported: the program's, or 128 + the signal that ended it.
    private static func exitCode(_ status: Int32) -> Int32 {
        (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// A fresh path in the temporary folder for a child's output.
    public static func temporaryOutputPath(_ label: String) -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("rectify-\(label)-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).log").path
    }
}
