import Foundation
import RectifyTesting

/// A PostgreSQL primary with a synchronous standby on loopback, managed by pg_auto_failover (a
/// monitor and two nodes), through `.ci/ha-cluster` (Deploy/ha/pg_auto_failover.md): the
/// failover suite's database, which it loses and gets back.
struct HACluster {
    /// The script that runs the cluster.
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".ci/ha-cluster").path

    /// Whether this machine can run it: pg_auto_failover's nodes run as the `postgres` account,
    /// which only root can switch to, and Debian's `postgresql-15-auto-failover` and
    /// `pg-auto-failover-cli` must be installed (`.ci/run` installs them).
    static var available: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/pg_autoctl")
            && FileManager.default.fileExists(atPath: "/usr/lib/postgresql/15/lib/pgautofailover.so")
    }

    /// The folder holding the monitor's and the nodes' data.
    let directory: String
    /// A libpq URL naming both nodes, which finds the one that takes writes
    /// (`target_session_attrs=read-write`).
    let url: String

    /// Creates and starts the monitor and both nodes, and waits until one is primary and the
    /// other its synchronous standby.
    static func start() async throws -> HACluster {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("rectify-ha-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        let cluster: HACluster
        do {
            let output = try await run("start", directory)
            guard let url = value("url", in: output) else { throw CommandFailure(description: "ha-cluster start printed no url=:\n\(output)") }
            cluster = HACluster(directory: directory, url: url)
        } catch {
            _ = try? await run("stop", directory)  // whatever had started
            throw error
        }
        return cluster
    }

    /// SIGKILLs the primary's PostgreSQL and its pg_auto_failover keeper, as a lost machine.
    func killPrimary() async throws { _ = try await Self.run("kill-primary", directory) }

    /// Waits until the monitor has promoted the standby and it takes writes.
    ///
    /// - Returns: the seconds from the kill until then, as the script measured them.
    func waitForPrimary() async throws -> Double {
        let output = try await Self.run("wait-primary", directory, "120")
        guard let seconds = Self.value("failover_seconds", in: output).flatMap(Double.init) else {
            throw CommandFailure(description: "ha-cluster wait-primary printed no failover_seconds=:\n\(output)")
        }
        return seconds
    }

    /// Starts the lost node again: it rewinds and rejoins as the new standby.
    func rejoin() async throws { _ = try await Self.run("rejoin", directory) }

    /// Stops everything and removes the data; keeps the data, for a look, when something would
    /// not stop.
    func destroy() async throws {
        _ = try await Self.run("stop", directory)
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func value(_ name: String, in output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)) }
    }

    private static func run(_ arguments: String...) async throws -> String {
        try await RectifyProcess.output(of: [script] + arguments)
    }
}
