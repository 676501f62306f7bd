import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import RectifyLocalCluster
import RectifyPostgres
import RectifyTesting
import Testing

@Suite("Metrics that reach Prometheus", .processes)
struct MetricsExpositionTests {
    private func get(_ url: URL) async throws -> (status: Int, body: String) {
        let (data, response) = try await URLSession.shared.data(from: url)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// `promtool check metrics` on `text`: its exit status and what it said. It waits for the
    /// child on a thread of its own, not on the cooperative pool.
    private func promtool(_ text: String) async throws -> (status: Int32, output: String) {
        try await OwnThread.run(name: "rectify-test-promtool") { try Self.promtoolBlocking(text) }
    }

    private static func promtoolBlocking(_ text: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["promtool", "check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, said)
    }

    @Test("rectify work --metrics-port serves the worker's counters and timers and /healthz; promtool accepts them and serve's")
    func workerAndServer() async throws {
        let database = try await TestDatabase.fresh("metricsport")
        #expect(try await RectifyProcess.run(["migrate"], database: database.url).status == 0)
        let port = try FreePort.find()
        let worker = try RectifyProcess(["work", "--poll", "0.1", "--metrics-port", "\(port)"], database: database.url)
        #expect(try await RectifyProcess.run(["enqueue", "noop", "--args", "{}"], database: database.url).status == 0)
        let base = URL(string: "http://127.0.0.1:\(port)")!
        let counted = try await eventually {
            (try? await get(base.appendingPathComponent("metrics")))?.body
                .contains(#"rectify_jobs_finished_total{queue="default",kind="noop",outcome="completed"} 1"#) == true
        }
        #expect(counted, "\(worker.output)")
        let health = try await get(base.appendingPathComponent("healthz"))
        #expect(health.status == 200 && health.body == #"{"status":"ok"}"#)
        let metrics = try await get(base.appendingPathComponent("metrics")).body
        #expect(metrics.contains("# TYPE rectify_job_run_seconds histogram"))
        #expect(metrics.contains("# HELP rectify_jobs_started_total "))
        // The database's figures come from serve alone: a worker exporting them too would be
        // summed with serve's by every dashboard and alert that adds series up.
        #expect(!metrics.contains("rectify_queue_"), "\(metrics)")
        let checked = try await promtool(metrics)
        #expect(checked.status == 0, "\(checked.output)\n\(metrics)")
        worker.send(SIGTERM)
        #expect(try await worker.waitForExit() == 0)

        let apiPort = try FreePort.find()
        let server = try RectifyProcess(["serve", "--port", "\(apiPort)"], database: database.url)
        let api = URL(string: "http://127.0.0.1:\(apiPort)")!
        #expect(try await eventually { (try? await get(api.appendingPathComponent("healthz")))?.status == 200 }, "\(server.output)")
        _ = try await get(api.appendingPathComponent("v1/tasks"))
        let served = try await get(api.appendingPathComponent("metrics")).body
        #expect(served.contains(#"route="/v1/tasks",method="GET",status="401""#), "\(served)")
        let serveChecked = try await promtool(served)
        #expect(serveChecked.status == 0, "\(serveChecked.output)")
        server.send(SIGTERM)
        #expect(try await server.waitForExit() == 0)
    }
}
