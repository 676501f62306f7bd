import Foundation
import RectifyLocalCluster
public import RectifyPostgres
import Synchronization

/// A connection to the test cluster that failed, with what was going on at that moment: the
/// tests running and waiting (``TestLoad``), the machine's load, the sessions the server had
/// and the end of its log. The next person sees the cause, not only "timeout expired".
public struct TestClusterUnreachable: Error, CustomStringConvertible {
    /// The connection's own error.
    public let underlying: PostgresError
    /// What the test support saw, one fact a line.
    public let diagnosis: [String]

    public var description: String {
        (["\(underlying)", "while the test cluster was unreachable:"] + diagnosis.map { "  \($0)" })
            .joined(separator: "\n")
    }

    /// Runs `body`; a failed connection it throws comes back with a diagnosis.
    static func diagnosing<Value>(_ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch let error as PostgresError where error.code == .connectionFailed {
            throw TestClusterUnreachable(underlying: error, diagnosis: await diagnose())
        }
    }

    private static func diagnose() async -> [String] {
        var lines: [String] = []
        let capacity = await TestCapacity.shared.state
        lines.append("tests: \(capacity.inUse) of \(TestLoad.capacity) units of load in use, \(capacity.waiting) tests waiting for theirs")
        if let load = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) {
            lines.append("load average: \(load.split(separator: " ").prefix(3).joined(separator: " ")) on \(ProcessInfo.processInfo.activeProcessorCount) cores")
        }
        guard let cluster = TestServer.cluster.withLock({ $0 }) else {
            let url = ProcessInfo.processInfo.environment["DATABASE_URL"] ?? ""
            lines.append(url.isEmpty
                ? "the test cluster had not started, so there are no sessions or log to show"
                : "the server is DATABASE_URL's, not the test run's own, so its sessions and log are not shown")
            return lines
        }
        lines.append(await sessions(cluster))
        let log = (try? String(contentsOf: cluster.logFile, encoding: .utf8)) ?? ""
        let tail = log.split(separator: "\n").suffix(15)
        lines.append(tail.isEmpty ? "server log \(cluster.logFile.path): empty" : "server log \(cluster.logFile.path), last lines:")
        lines += tail.map { "  \($0)" }
        return lines
    }

    /// The server's sessions by database and state, through a connection of its own.
    private static func sessions(_ cluster: LocalCluster) async -> String {
        do {
            let rows = try await TestServer.withAdminConnection(cluster.postgres(database: "postgres")) { connection in
                try await connection.query(PostgresQuery(sql: """
                    SELECT * FROM (
                        SELECT coalesce(datname, '-') || ' ' || coalesce(state, backend_type)
                               || coalesce(' waiting on ' || wait_event_type, '') || ': ' || count(*)
                        FROM pg_stat_activity GROUP BY 1 ORDER BY count(*) DESC LIMIT 12) AS busiest
                    UNION ALL SELECT 'max_connections ' || current_setting('max_connections')
                    """))
            }
            let summary = try rows.rows.map { try $0.decode(String.self, at: 0) }
            return "sessions: " + summary.joined(separator: "; ")
        } catch {
            return "a second connection to read its sessions failed too: \(error)"
        }
    }
}
