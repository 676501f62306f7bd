import Foundation
import RectifyConfig
import RectifyLocalCluster
import RectifyPostgres
import RectifyTesting
import Testing
import Yams

/// The files in Deploy/ and Config/ are read by other programs; these tests read them the same way.
@Suite("Deploy and Config files", .processes)
struct DeployFilesTests {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    private func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// The metric names that `rectify queue stats --prometheus` writes.
    private let exported = [
        "rectify_queue_jobs", "rectify_queue_oldest_available_age_seconds", "rectify_queue_paused", "rectify_workers_live",
        "rectify_monthly_run_scheduled", "rectify_report_figure", "rectify_metrics_generated_timestamp_seconds",
    ]

    /// The metrics each process records through swift-metrics and serves at its own /metrics
    /// (`rectify serve`, `rectify work --metrics-port`); MetricsExpositionTests sees them there.
    private let processMetrics = [
        "rectify_jobs_started_total", "rectify_jobs_finished_total", "rectify_job_run_seconds", "rectify_job_wait_seconds",
        "rectify_http_requests_total", "rectify_http_request_duration_seconds",
    ]

    /// The path of the program `name` on `PATH`, if it is installed.
    private func installed(_ name: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/\(name)" }.first(where: FileManager.default.isExecutableFile(atPath:))
    }

    /// Runs a checker and expects it to exit 0, showing its output when it does not.
    private func expectPasses(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let name = URL(fileURLWithPath: arguments[0]).lastPathComponent
        let output = Spawn.temporaryOutputPath(name)
        let pid = try Spawn.start(arguments, outputPath: output)
        let status = try await OwnThread.run(name: name) { Spawn.waitBlocking(pid) }
        #expect(status == 0, "\(arguments.joined(separator: " ")): \((try? String(contentsOfFile: output, encoding: .utf8)) ?? "")",
                sourceLocation: sourceLocation)
    }

    @Test("the alert rules pass promtool (when installed) and their unit tests, and cover what ops asked for, on exported gauges")
    func alertRules() async throws {
        let path = root.appendingPathComponent("Deploy/prometheus/rectify-rules.yaml").path
        if let promtool = installed("promtool") {
            try await expectPasses([promtool, "check", "rules", path])
            // Two replicas of serve reporting the same backlog must raise one alert for it.
            try await expectPasses([promtool, "test", "rules", root.appendingPathComponent("Deploy/prometheus/rectify-rules.test.yaml").path])
        }
        let document = try #require(try Yams.load(yaml: text("Deploy/prometheus/rectify-rules.yaml")) as? [String: Any])
        let rules = (document["groups"] as? [[String: Any]] ?? []).flatMap { $0["rules"] as? [[String: Any]] ?? [] }
        let names = rules.compactMap { $0["alert"] as? String }
        #expect(Set(names) == ["RectifyQueueBacklog", "RectifyOldestJobWaiting", "RectifyJobsDiscarded", "RectifyNoLiveWorkers",
                               "RectifyMonthlyRunMissing", "RectifyMetricsStale"])
        for rule in rules {
            let expr = try #require(rule["expr"] as? String)
            #expect(exported.contains { expr.contains($0) }, "\(rule["alert"] ?? "?") uses a gauge rectify exports")
            #expect((rule["labels"] as? [String: Any])?["severity"] != nil && (rule["annotations"] as? [String: Any])?["summary"] != nil)
        }
    }

    @Test("the Patroni configuration passes patroni --validate-config (when installed) and keeps a synchronous standby and pg_rewind")
    func patroni() async throws {
        let configuration = try text("Deploy/ha/patroni.yml")
        if let patroni = installed("patroni") {
            // The validator connects to every etcd host and refuses listen ports in use on this
            // machine, so it reads a copy that finds etcd through DNS (a name it does not look up)
            // and listens on free ports; the rest is the file as written.
            let apiPort = try FreePort.find(), postgresPort = try FreePort.find()
            var copy = configuration
            for (line, replacement) in [("  hosts: etcd1:2379,etcd2:2379,etcd3:2379\n", "  srv: etcd.example\n"),
                                        ("  listen: 0.0.0.0:8008\n", "  listen: 0.0.0.0:\(apiPort)\n"),
                                        ("  listen: 0.0.0.0:5432\n", "  listen: 0.0.0.0:\(postgresPort)\n")] {
                try #require(copy.contains(line), "\(line)")
                copy = copy.replacingOccurrences(of: line, with: replacement)
            }
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("rectify-patroni-\(UUID().uuidString).yml").path
            try copy.write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            try await expectPasses([patroni, "--validate-config", path])
        }
        let document = try #require(try Yams.load(yaml: configuration) as? [String: Any])
        let bootstrap = try #require(document["bootstrap"] as? [String: Any])
        let dcs = try #require(bootstrap["dcs"] as? [String: Any])
        let dynamic = try #require(dcs["postgresql"] as? [String: Any])
        #expect(dcs["synchronous_mode"] as? Bool == true && dcs["synchronous_node_count"] as? Int == 1, "a synchronous standby")
        #expect(dcs["synchronous_mode_strict"] as? Bool == true, "no commit acknowledged by the primary alone")
        #expect((dynamic["parameters"] as? [String: Any])?["synchronous_commit"] as? String == "on")
        #expect(dynamic["use_pg_rewind"] as? Bool == true, "a failed primary rejoins by rewinding")
        #expect((dynamic["parameters"] as? [String: Any])?["wal_log_hints"] as? String == "on", "pg_rewind needs hint bits logged")
        let local = try #require(document["postgresql"] as? [String: Any])
        #expect(((local["authentication"] as? [String: Any])?["rewind"] as? [String: Any])?["username"] as? String == "rewind_user")
        #expect((bootstrap["initdb"] as? [Any])?.contains { $0 as? String == "data-checksums" } == true)
        #expect(dcs["maximum_lag_on_failover"] as? Int == 1_048_576, "a standby far behind is not promoted")
        #expect(local["bin_dir"] as? String == "/usr/lib/postgresql/15/bin")
        let ttl = dcs["ttl"] as? Int ?? 0, loopWait = dcs["loop_wait"] as? Int ?? 0, retryTimeout = dcs["retry_timeout"] as? Int ?? 0
        #expect(loopWait > 0 && loopWait + 2 * retryTimeout <= ttl, "Patroni's rule for its timings")
        let hba = try #require(dynamic["pg_hba"] as? [String])
        #expect(bootstrap["pg_hba"] as? [String] == hba)
        #expect(hba.allSatisfy { $0.hasSuffix(" scram-sha-256") || ($0.hasPrefix("local") && $0.hasSuffix(" peer")) }, "\(hba)")
    }

    @Test("the gauges the rules and the dashboard use are the ones rectify writes")
    func exportedGauges() async throws {
        let database = try await TestDatabase.fresh("gauges")
        #expect(try await RectifyProcess.run(["enqueue", "noop"], database: database.url).status == 0)
        let result = try await RectifyProcess.run(["queue", "stats", "--prometheus"], database: database.url)
        #expect(result.status == 0, "\(result.output)")
        for name in exported where name != "rectify_report_figure" {
            #expect(result.output.contains("# TYPE \(name) gauge"), "\(name)")
        }
        let dashboard = try #require(try JSONSerialization.jsonObject(with: Data(text("Deploy/grafana/rectify-dashboard.json").utf8)) as? [String: Any])
        let expressions = (dashboard["panels"] as? [[String: Any]] ?? []).flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        #expect(expressions.count >= 10)
        for expr in expressions {
            #expect((exported + processMetrics).contains { expr.contains($0) }, "\(expr)")
        }
        #expect(processMetrics.allSatisfy { name in expressions.contains { $0.contains(name) } || name.hasSuffix("_wait_seconds") || name.hasSuffix("started_total") },
                "the dashboard shows the workers' and the API's own metrics")
    }

    @Test("the Kubernetes manifests parse, the CronJob forbids overlap, their configuration is valid, and the database keeps a synchronous standby")
    func kubernetes() throws {
        for file in ["configmap", "migrate-job", "worker-deployment", "schedule-cronjob", "api", "cloudnative-pg"] {
            for manifest in try Yams.load_all(yaml: text("Deploy/kubernetes/\(file).yaml")) {
                let object = try #require(manifest as? [String: Any], "\(file)")
                #expect(object["kind"] != nil && object["apiVersion"] != nil, "\(file)")
            }
        }
        let api = try text("Deploy/kubernetes/api.yaml")
        #expect(api.contains("readinessProbe:\n            httpGet: {path: /readyz, port: http}"), "the API is ready when the database is")
        #expect(api.contains("livenessProbe:\n            httpGet: {path: /healthz, port: http}"), "the API is alive while the process is")
        let worker = try text("Deploy/kubernetes/worker-deployment.yaml")
        #expect(worker.contains(#""--metrics-port", "9091""#) && worker.contains("prometheus.io/port: \"9091\""))
        #expect(worker.contains("livenessProbe:\n            httpGet: {path: /healthz, port: metrics}"))
        let cronJob = try #require(try Yams.load(yaml: text("Deploy/kubernetes/schedule-cronjob.yaml")) as? [String: Any])
        #expect((cronJob["spec"] as? [String: Any])?["concurrencyPolicy"] as? String == "Forbid")
        let configMap = try #require(try Yams.load(yaml: text("Deploy/kubernetes/configmap.yaml")) as? [String: Any])
        let embedded = try #require((configMap["data"] as? [String: Any])?["rectify.yaml"] as? String)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rectify-configmap-\(UUID().uuidString).yaml").path
        try embedded.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: Never.self) { try SettingsSource.load(file: path, environment: [:]) }
        // Not run here (no Kubernetes in CI): the CloudNativePG Cluster the rectify-database Secret points at.
        let database = try #require(try Yams.load(yaml: text("Deploy/kubernetes/cloudnative-pg.yaml")) as? [String: Any])
        #expect(database["kind"] as? String == "Cluster" && database["apiVersion"] as? String == "postgresql.cnpg.io/v1")
        let spec = try #require(database["spec"] as? [String: Any])
        #expect((database["metadata"] as? [String: Any])?["name"] as? String == "rectify-db", "its read-write Service is rectify-db-rw")
        #expect(spec["instances"] as? Int == 3, "a primary and two standbys, so losing one standby stops no write")
        let synchronous = (spec["postgresql"] as? [String: Any])?["synchronous"] as? [String: Any]
        #expect(synchronous?["number"] as? Int == 1 && synchronous?["dataDurability"] as? String == "required",
                "no commit acknowledged by the primary alone")
    }
}
