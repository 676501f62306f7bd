import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import RectifyLocalCluster
import RectifyPostgres
import RectifyTesting
import Testing

/// Bad input at every door that exists today: each is refused with a clear one-line error
/// and writes nothing.
@Suite("Fault suite: bad input at every door", .wholeMachine)
struct BadInputTests {
    private func count(_ pool: PostgresPool, _ table: String) async throws -> Int {
        try await pool.query("SELECT count(*) FROM \(unescaped: table)")[0].decode(Int.self, at: 0)
    }

    private func lastLine(_ output: String) -> String {
        output.split(separator: "\n").last.map(String.init) ?? ""
    }

    @Test("bad ledgers, --args, options and configuration files are refused and write nothing")
    func commandLineDoors() async throws {
        let database = try await TestDatabase.fresh("baddoors")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rectify-bad-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await database.withPool { pool in
            // The ledger: every bad-record rule, each refused naming array, index, id and field.
            for refusal in SampleLedger.refusals {
                let file = folder.appendingPathComponent("bad.json")
                try SampleLedger.json { refusal.edit.apply(to: &$0) }.write(to: file)
                let run = try await RectifyProcess.run(["import", file.path], database: database.url)
                #expect(run.status != 0, "\(refusal)")
                #expect(lastLine(run.output).contains(refusal.error), "\(refusal): \(run.output)")
            }
            for table in ["rectify_regions", "rectify_units", "rectify_tasks"] {
                #expect(try await count(pool, table) == 0, "\(table) after refused imports")
            }

            // Job arguments and options.
            let enqueues: [([String], String)] = [
                (["enqueue", "noop", "--args", "[1, 2]"], "args: must be a JSON object"),
                (["enqueue", "noop", "--args", "{\"sleep_ms\": "], "args: not valid JSON"),
                (["enqueue", "noop", "--max-attempts", "0"], "max_attempts: must be at least 1"),
                (["enqueue", "noop", "--timeout=-1"], "--timeout must be a positive number of seconds"),
                (["enqueue", "noop", "--timeout", "0"], "--timeout must be a positive number of seconds"),
                (["enqueue", "noop", "--run-at", "tomorrow"], "is not an ISO 8601 time"),
                (["enqueue", "", "--args", "{}"], "kind: must not be empty"),
                (["enqueue", "send_fax", "--args", "{}"], #"no job definition names kind "send_fax""#),
            ]
            for (arguments, message) in enqueues {
                let run = try await RectifyProcess.run(arguments, database: database.url)
                #expect(run.status != 0, "\(arguments)")
                #expect(run.output.contains(message), "\(arguments): \(run.output)")
            }
            #expect(try await count(pool, "rectify_jobs") == 0)

            // Configuration files with wrong values, checked and refused by the commands that read them.
            let configs: [(String, String)] = [
                ("scheduler:\n  day: 31\n", "scheduler.day: 31 is outside 1–28"),
                ("worker:\n  lease_seconds: -1\n", "worker.lease_seconds"),
                ("database:\n  statement_timeout_seconds: soon\n", "database.statement_timeout_seconds"),
                ("worker:\n  job_timeout_seconds: 0\n", "worker.job_timeout_seconds"),
                ("wroker:\n  lease_seconds: 30\n", "wroker"),
            ]
            for (text, message) in configs {
                let file = folder.appendingPathComponent("rectify.yaml")
                try text.write(to: file, atomically: true, encoding: .utf8)
                let check = try await RectifyProcess.run(["config", "check", file.path], database: database.url)
                #expect(check.status != 0 && check.output.contains(message), "\(text): \(check.output)")
                let work = try await RectifyProcess.run(["work", "--config", file.path], database: database.url)
                #expect(work.status != 0 && work.output.contains(message), "\(text): \(work.output)")
            }
            #expect(try await count(pool, "rectify_workers") == 0, "a refused configuration started no worker")
        }
    }

    @Test("rectify serve answers bad requests with 4xx, writing nothing, and a stopped database with 503, and keeps serving")
    func httpDoor() async throws {
        let cluster = try await PrivateTestCluster.start()
        do {
            let url = try cluster.configuration.conninfo()
            #expect(try await RectifyProcess.run(["migrate"], database: url).status == 0)
            let ledger = FileManager.default.temporaryDirectory.appendingPathComponent("rectify-door-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json")
            defer { try? FileManager.default.removeItem(at: ledger) }
            try SampleLedger.json().write(to: ledger)
            #expect(try await RectifyProcess.run(["import", ledger.path], database: url).status == 0)
            let office = try await RectifyProcess.run(["office", "add", "--region", "130100", "--name", "石家庄市督察整改办"], database: url)
            let token = try #require(office.output.split(separator: "\n").first { $0.hasPrefix("token: ") }?.dropFirst(7), "\(office.output)")
            let port = try FreePort.find()
            let server = try RectifyProcess(["serve", "--port", "\(port)"], database: url)
            let base = URL(string: "http://127.0.0.1:\(port)")!
            @Sendable func send(
                _ method: String, _ path: String, body: String? = nil, headers: [String: String] = [:]
            ) async -> Int? {
                var request = URLRequest(url: base.appendingPathComponent(path))
                request.httpMethod = method
                request.httpBody = body.map { Data($0.utf8) }
                for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
                request.timeoutInterval = 10
                guard let (_, response) = try? await URLSession.shared.data(for: request) else { return nil }
                return (response as? HTTPURLResponse)?.statusCode
            }
            let json = ["Content-Type": "application/json", "Authorization": "Bearer \(token)"]
            let valid = #"{"submission_id": "s-1", "task": "CEI2-HE-001", "period": "2026-10", "progress": 55, "status": "in_progress", "summary": "…"}"#
            let posts: [(String, [String: String], Int)] = [
                ("{not json", json, 400),
                (valid.replacingOccurrences(of: "}", with: #", "colour": "red"}"#), json, 400),
                (valid.replacingOccurrences(of: "55", with: "101"), json, 400),
                (valid.replacingOccurrences(of: "…", with: String(repeating: "x", count: 70_000)), json, 413),
                (valid, ["Content-Type": "text/plain", "Authorization": "Bearer \(token)"], 415),
                (valid, ["Content-Type": "application/json"], 401),
                (valid, ["Content-Type": "application/json", "Authorization": "Bearer \(token)x"], 401),
            ]
            #expect(try await eventually { await send("GET", "readyz") == 200 }, "\(server.output)")
            let post = await send("POST", "healthz", body: "{not json")
            #expect(post.map { (400..<500).contains($0) } == true, "POST /healthz: \(String(describing: post))")
            #expect(await send("GET", "no/such/route") == 404)
            for (body, headers, status) in posts {
                let answer = await send("POST", "v1/progress", body: body, headers: headers)
                #expect(answer.map { $0 == status || (status == 400 && (400..<500).contains($0)) } == true,
                        "POST /v1/progress \(headers) \(body.prefix(120)): \(String(describing: answer)), expected \(status)")
            }
            let written = try await PostgresPool.withPool(configuration: cluster.configuration, logger: TestLogging.logger) { pool in
                try await pool.query("""
                    SELECT (SELECT count(*) FROM rectify_progress_submissions), (SELECT count(*) FROM rectify_jobs)
                    """)[0].decode((Int, Int).self)
            }
            #expect(written == (0, 0), "refused requests wrote nothing")
            try await cluster.stopServer()
            #expect(await send("GET", "readyz") == 503)
            #expect(await send("GET", "healthz") == 200, "the process is up")
            #expect(await send("GET", "metrics") == 503)
            try await cluster.startServer()
            #expect(try await eventually { await send("GET", "metrics") == 200 }, "\(server.output.suffix(800))")
            server.send(SIGTERM)
            #expect(try await server.waitForExit() == 0)
        } catch {
            Issue.record(error)
        }
        await cluster.destroy()
    }
}
