import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import RectifyLocalCluster
import RectifyTesting
import Synchronization
import Testing

@Suite("rectify serve", .processes)
struct ServeTests {
    private func get(_ url: URL) async throws -> (status: Int, body: String, contentType: String?) {
        let (data, response) = try await URLSession.shared.data(from: url)
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, String(decoding: data, as: UTF8.self), http.value(forHTTPHeaderField: "Content-Type"))
    }

    @Test("/healthz and /readyz answer 200, /metrics has the gauges and HTTP metrics, SIGTERM stops it cleanly")
    func healthAndMetrics() async throws {
        let database = try await TestDatabase.fresh("serve")
        let port = try FreePort.find()
        let server = try RectifyProcess(["serve", "--port", "\(port)"], database: database.url)
        let base = URL(string: "http://127.0.0.1:\(port)")!
        let up = try await eventually { (try? await get(base.appendingPathComponent("healthz")))?.status == 200 }
        #expect(up, "\(server.output)")
        let health = try await get(base.appendingPathComponent("healthz"))
        #expect(health.body == #"{"status":"ok"}"# && health.contentType == "application/json")
        let ready = try await get(base.appendingPathComponent("readyz"))
        #expect(ready.status == 200 && ready.body == #"{"database":"ok","status":"ok"}"#, "\(ready.body)")
        let metrics = try await get(base.appendingPathComponent("metrics"))
        #expect(metrics.status == 200 && metrics.contentType?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(metrics.body.contains("# TYPE rectify_workers_live gauge") && metrics.body.contains("rectify_monthly_run_scheduled{period="))
        #expect(metrics.body.contains(#"rectify_http_requests_total{route="/healthz",method="GET",status="200"}"#), "\(metrics.body)")
        #expect(metrics.body.contains("# TYPE rectify_http_request_duration_seconds histogram"))
        server.send(SIGTERM)
        #expect(try await server.waitForExit() == 0)
        #expect(server.output.contains("shut down cleanly; exiting"), "the log says the shutdown finished: \(server.output.suffix(400))")
    }

    @Test("SIGINT or SIGTERM sent while requests keep arriving stops the server within 20 s", arguments: [SIGINT, SIGTERM])
    func signalUnderLoad(signal: Int32) async throws {
        let database = try await TestDatabase.fresh("servesignal")
        let port = try FreePort.find()
        let server = try RectifyProcess(["serve", "--port", "\(port)"], database: database.url)
        let ready = URL(string: "http://127.0.0.1:\(port)/readyz")!
        #expect(try await eventually { (try? await get(ready))?.status == 200 }, "\(server.output)")
        // Each client asks until the server stops answering or the wait is over. Not
        // cancelled: cancelling URLSession's requests from several threads at once can
        // deadlock FoundationNetworking.
        let stop = StopFlag()
        let code = try await withThrowingTaskGroup(of: Void.self) { load in
            for _ in 0..<8 {
                load.addTask { while !stop.isSet, (try? await get(ready)) != nil {} }
            }
            try await Task.sleep(for: .seconds(2))
            server.send(signal)
            defer { stop.set() }
            return try await server.waitForExit(within: .seconds(20))
        }
        #expect(code != nil, "the server was still running 20 s after the signal: \(server.output.suffix(2000))")
        #expect(code == nil || code == 0, "exit code \(code ?? 0): \(server.output.suffix(2000))")
    }
}

/// Tells the load's clients to stop asking.
private final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}
