import Foundation
import RectifyLocalCluster
import RectifyPostgres
import RectifyQueue
import RectifyTesting
import Testing

/// A worker host cut from the database: one worker runs in a network namespace of its own,
/// joined to the database's host by a veth pair; the link is cut (packets vanish both ways
/// without an error or a reset, as on a failed switch) for longer than the lease, then healed.
/// Another worker, on the database's host, goes on. `rectify serve` runs in the namespace too,
/// asked for `/readyz` over the namespace's own loopback, which the cut leaves alone.
///
/// Needs root (`ip netns`, from Debian's iproute2); skipped otherwise. `.ci/run` runs it.
@Suite(
    "Network partition", .wholeMachine, .serialized,
    .enabled(if: NetworkNamespace.available, "needs root and iproute2 (ip netns); .ci/run runs it as root"))
struct PartitionTests {
    static let lease = 3.0
    static let workerArguments = [
        "work", "--lease", "\(lease)", "--heartbeat", "0.5", "--rescue-interval", "0.5", "--promote-interval", "0.2",
        "--retry-base", "0.2", "--poll", "0.5", "--grace", "3", "--queue", "default=4", "--log-level", "info",
    ]
    /// The limits that bound how long a cut goes unnoticed: keepalive probes after 2 s of
    /// silence (then every 10 s, rectify's default), and a connection dropped when what it sent
    /// (a probe included) is unanswered for 5 s; the server applies the same to the worker's
    /// sessions, so it ends them, and their locks, within about 2 + 10 s.
    static let timeouts = [
        "RECTIFY_DATABASE_KEEPALIVES_IDLE_SECONDS": "2", "RECTIFY_DATABASE_TCP_USER_TIMEOUT_SECONDS": "5",
        "RECTIFY_DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS": "60",
    ]
    static let cutSeconds = 15.0

    @Test("a worker cut from the database longer than its lease: its jobs rescued and run elsewhere, none twice after healing, the cut noticed within the keepalive bound")
    func cutWorker() async throws {
        let cluster = try await PrivateTestCluster.start()
        let network = try await NetworkNamespace.create()
        do {
            try await run(cluster, network)
        } catch {
            Issue.record(error)
        }
        await network.destroy()
        await cluster.destroy()
    }

    private func run(_ cluster: PrivateTestCluster, _ network: NetworkNamespace) async throws {
        try cluster.listen(on: network.hostAddress, for: network.subnet)
        try await cluster.stopServer()
        try await cluster.startServer()
        let url = try cluster.configuration.conninfo()
        let remoteURL = url.replacingOccurrences(of: "host='127.0.0.1'", with: "host='\(network.hostAddress)'")
        try #require(remoteURL != url, "the conninfo names no host='127.0.0.1': \(url)")
        let migrate = try await RectifyProcess.run(["migrate"], database: url)
        try #require(migrate.status == 0, "\(migrate.output)")
        let pool = PostgresPool(configuration: cluster.configuration, logger: TestLogging.logger)
        defer { Task { await pool.close() } }
        try await pool.query("""
            CREATE TABLE rectify_fault_effects (
                key text NOT NULL, job_id bigint NOT NULL, attempt integer NOT NULL, worker text NOT NULL,
                at timestamptz NOT NULL DEFAULT clock_timestamp())
            """)
        let keys = (0..<400).map { "p-\($0)" }
        _ = try await JobQueue(pool: pool).enqueue(keys.map {
            try JobRequest(kind: "fault_effect", argsJSON: #"{"key": "\#($0)", "sleep_ms": 150}"#, maxAttempts: 100)
        })

        let executable = RectifyProcess.executable(.faultWorker)
        let cut = try RectifyProcess(
            argv: ["/usr/sbin/ip", "netns", "exec", network.name, executable] + Self.workerArguments,
            environment: Self.timeouts.merging(["DATABASE_URL": remoteURL]) { $1 })
        let local = try RectifyProcess(Self.workerArguments, database: url, environment: Self.timeouts, program: .faultWorker)
        let port = try FreePort.find()
        let server = try RectifyProcess(
            argv: ["/usr/sbin/ip", "netns", "exec", network.name, RectifyProcess.executable(), "serve", "--host", "127.0.0.1", "--port", "\(port)"],
            environment: Self.timeouts.merging(["DATABASE_URL": remoteURL]) { $1 })
        let ready = try await eventually(timeout: .seconds(60), every: .milliseconds(200)) { try await network.readiness(port: port) == "200" }
        try #require(ready, "rectify serve in the namespace never became ready\n\(server.output.suffix(2000))")
        func remoteSessions() async throws -> Int {
            try await pool.clientSessions(where: "client_addr = '\(network.guestAddress)'::inet")
        }
        func remoteRunning() async throws -> Int {
            // A worker's id is host-pid-suffix, and `ip netns exec` runs the worker in its own pid.
            try await pool.query("SELECT count(*) FROM rectify_jobs WHERE state = 'running' AND attempted_by LIKE \("%-\(cut.pid)-%")")[0]
                .decode(Int.self, at: 0)
        }
        // Both workers at work, the one in the namespace holding jobs when the link goes.
        let working = try await eventually(timeout: .seconds(60), every: .milliseconds(100)) {
            let sessions = try await remoteSessions(), running = try await remoteRunning()
            return sessions > 0 && running > 0
        }
        try #require(working, "the worker in the namespace never ran a job\n\(cut.output.suffix(2000))")
        let heldAtCut = try await remoteRunning()
        try await network.setLink(up: false)
        let cutAt = ContinuousClock.now
        // The server's readiness, asked every 0.3 s through the cut and after it.
        let prober = Task { () -> [(at: Double, status: String)] in
            var samples: [(at: Double, status: String)] = []
            while !Task.isCancelled {
                let status = (try? await network.readiness(port: port)) ?? "none"
                samples.append((FaultSuiteTests.seconds(cutAt.duration(to: .now)), status))
                try? await Task.sleep(for: .milliseconds(300))
            }
            return samples
        }

        // The server notices (keepalives, tcp_user_timeout) and ends the worker's sessions; the
        // other worker rescues the jobs and runs them.
        var serverNoticed: Double?
        var rescued: Double?
        while cutAt.duration(to: .now) < .seconds(Self.cutSeconds) {
            if serverNoticed == nil, try await remoteSessions() == 0 { serverNoticed = FaultSuiteTests.seconds(cutAt.duration(to: .now)) }
            if rescued == nil, try await remoteRunning() == 0 { rescued = FaultSuiteTests.seconds(cutAt.duration(to: .now)) }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(serverNoticed != nil, "the server still had the cut worker's sessions after \(Self.cutSeconds) s")
        #expect(rescued != nil, "jobs of the cut worker still running after \(Self.cutSeconds) s")
        try await network.setLink(up: true)
        let healedAt = ContinuousClock.now
        let back = try await eventually(timeout: .seconds(60), every: .milliseconds(200)) { try await remoteSessions() > 0 }
        #expect(back, "the cut worker did not reconnect after the link came back\n\(cut.output.suffix(2000))")
        let reconnected = FaultSuiteTests.seconds(healedAt.duration(to: .now))
        let healed = FaultSuiteTests.seconds(cutAt.duration(to: healedAt))
        let serverBack = try await eventually(timeout: .seconds(60), every: .milliseconds(200)) { try await network.readiness(port: port) == "200" }
        let readyAgain = FaultSuiteTests.seconds(healedAt.duration(to: .now))
        prober.cancel()
        let samples = await prober.value
        #expect(serverBack, "rectify serve did not become ready again after healing\n\(server.output.suffix(2000))")
        let unavailableAt = samples.first { $0.status == "503" }?.at
        #expect(unavailableAt.map { $0 < healed } == true, "rectify serve never answered 503 while cut: \(samples.map(\.status))")
        #expect(samples.allSatisfy { ["200", "503"].contains($0.status) }, "\(samples.map(\.status))")

        let drained = try await eventually(timeout: .seconds(120), every: .milliseconds(250)) {
            try await pool.query("SELECT count(*) FROM rectify_jobs")[0].decode(Int.self, at: 0) == 0
        }
        #expect(drained)
        #expect(cut.exitCodeIfExited() == nil, "the cut worker exited\n\(cut.output.suffix(2000))")
        cut.send(SIGTERM)
        local.send(SIGTERM)
        server.send(SIGTERM)
        #expect(try await server.waitForExit() == 0, "\(server.output.suffix(2000))")
        #expect(try await cut.waitForExit() == 0, "\(cut.output.suffix(2000))")
        #expect(try await local.waitForExit() == 0, "\(local.output.suffix(2000))")

        // Every effect exactly once; every job completed; nothing left running.
        let effects = Dictionary(uniqueKeysWithValues: try await pool.query(
            "SELECT key, count(*) FROM rectify_fault_effects GROUP BY key").map { try $0.decode((String, Int).self) })
        #expect(keys.allSatisfy { effects[$0] == 1 }, "\(effects.filter { $0.value != 1 }.prefix(5)), \(keys.count { effects[$0] == nil }) missing")
        let completed = try await pool.query(
            "SELECT count(*) FROM rectify_finished_jobs WHERE kind = 'fault_effect' AND state = 'completed'")[0].decode(Int.self, at: 0)
        #expect(completed == keys.count)
        let refused = cut.output.split(separator: "\n").count { $0.contains("completion was refused") || $0.contains("lease was taken over") }
        print("""
            partition figures: {"cut_seconds": \(Self.cutSeconds), "lease_seconds": \(Self.lease), "jobs_held_at_cut": \(heldAtCut), \
            "server_noticed_seconds": \(serverNoticed ?? -1), "jobs_rescued_seconds": \(rescued ?? -1), \
            "reconnected_after_heal_seconds": \(reconnected), "completions_refused_after_heal": \(refused), \
            "serve_unavailable_after_seconds": \(unavailableAt ?? -1), "serve_ready_after_heal_seconds": \(readyAgain)}
            """)
    }
}

/// A network namespace joined to the test's host by a veth pair on a /30 of its own, for a
/// process to run "on another host" whose link the test can cut.
struct NetworkNamespace {
    /// Root can make namespaces, and iproute2 is installed.
    static var available: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") }

    let name: String
    let hostInterface: String
    let hostAddress: String
    let guestAddress: String
    let subnet: String
    let guestInterface: String

    static func create() async throws -> NetworkNamespace {
        let tag = String(getpid() % 100_000)
        let octet = Int(getpid() % 250) + 1
        let network = NetworkNamespace(
            name: "rfy\(tag)", hostInterface: "rfyh\(tag)", hostAddress: "10.213.\(octet).1", guestAddress: "10.213.\(octet).2",
            subnet: "10.213.\(octet).0/30", guestInterface: "rfyg\(tag)")
        let guest = network.guestInterface
        await network.destroy()
        for command in [
            ["netns", "add", network.name],
            ["link", "add", network.hostInterface, "type", "veth", "peer", "name", guest],
            ["link", "set", guest, "netns", network.name],
            ["addr", "add", "\(network.hostAddress)/30", "dev", network.hostInterface],
            ["link", "set", network.hostInterface, "up"],
            ["netns", "exec", network.name, "ip", "addr", "add", "\(network.guestAddress)/30", "dev", guest],
            ["netns", "exec", network.name, "ip", "link", "set", guest, "up"],
            ["netns", "exec", network.name, "ip", "link", "set", "lo", "up"],
        ] {
            try await ip(command)
        }
        return network
    }

    /// The HTTP status of `rectify serve`'s `/readyz` on `port` of the namespace's loopback, or
    /// "none" without an answer within 30 s.
    func readiness(port: Int) async throws -> String {
        let process = try RectifyProcess(argv: [
            "/usr/sbin/ip", "netns", "exec", name, "/usr/bin/curl", "-s", "-m", "30", "-o", "/dev/null", "-w", "%{http_code}",
            "http://127.0.0.1:\(port)/readyz",
        ])
        _ = try await process.waitForExit()
        let status = process.output.trimmingCharacters(in: .whitespacesAndNewlines)
        return status.isEmpty || status == "000" ? "none" : status
    }

    /// Cuts or heals the link. A cut drops every packet silently both ways, as a failed switch
    /// or a lost route does, with the link itself up, so that no error reaches either end and
    /// only their timeouts tell. Each end's egress goes through an HTB class of 8 bits a second
    /// (this machine's kernel has no netem and no packet filter), whose queue then overflows.
    func setLink(up: Bool) async throws {
        for (prefix, interface) in [([String](), hostInterface), (["netns", "exec", name, "/usr/sbin/tc"], guestInterface)] {
            let tc = prefix.isEmpty ? ["/usr/sbin/tc"] : ["/usr/sbin/ip"] + prefix
            if up {
                _ = try await RectifyProcess.output(of: tc + ["qdisc", "del", "dev", interface, "root"])
            } else {
                _ = try await RectifyProcess.output(of: tc + ["qdisc", "add", "dev", interface, "root", "handle", "1:", "htb", "default", "10"])
                _ = try await RectifyProcess.output(of: tc + ["class", "add", "dev", interface, "parent", "1:", "classid", "1:10", "htb", "rate", "8bit", "ceil", "8bit"])
            }
        }
    }

    func destroy() async {
        try? await Self.ip(["link", "del", hostInterface])
        try? await Self.ip(["netns", "del", name])
    }

    private static func ip(_ arguments: [String]) async throws {
        _ = try await RectifyProcess.output(of: ["/usr/sbin/ip"] + arguments)
    }
}
