import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import RectifyLocalCluster
import RectifyTesting
import Testing

@Suite("rectify serve")
struct ServeTests {
    private func get(_ url: URL) async throws -> (status: Int, body: String, contentType: String?) {
        let (data, response) = try await URLSession.shared.data(from: url)
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, String(decoding: data, as: UTF8.self), http.value(forHTTPHeaderField: "Content-Type"))
    }

    @Test("/healthz answers 200 while the database does, /metrics has the gauges, SIGTERM stops it cleanly")
    func healthAndMetrics() async throws {
        let database = try await TestDatabase.fresh("serve")
        let port = try FreePort.find()
        let server = try RectifyProcess(["serve", "--port", "\(port)"], database: database.url)
        let base = URL(string: "http://127.0.0.1:\(port)")!
        let up = try await eventually { (try? await get(base.appendingPathComponent("healthz")))?.status == 200 }
        #expect(up, "\(server.output)")
        let health = try await get(base.appendingPathComponent("healthz"))
        #expect(health.body == #"{"status":"ok","database":"ok"}"# && health.contentType == "application/json")
        let metrics = try await get(base.appendingPathComponent("metrics"))
        #expect(metrics.status == 200 && metrics.contentType?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(metrics.body.contains("# TYPE rectify_workers_live gauge") && metrics.body.contains("rectify_monthly_run_scheduled{period="))
        server.send(SIGTERM)
        #expect(try await server.waitForExit() == 0)
    }
}
