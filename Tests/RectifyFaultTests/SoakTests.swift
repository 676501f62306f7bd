import Foundation
import RectifyLocalCluster
import RectifyPostgres
import RectifyQueue
import RectifyTesting
import Testing

/// The soak, on demand only (`RECTIFY_SOAK_MINUTES=10 swift test --filter SoakTests`): jobs
/// enqueued at a fixed rate for that long while worker processes drain them. Every few seconds it
/// samples queue depth, latency (created to finished) p50/p99, the workers' resident memory and
/// the job tables' sizes, into a CSV (`RECTIFY_SOAK_OUTPUT`, default /tmp/rectify-soak.csv) that
/// `docs/plot_soak.py` draws. Then it checks that nothing drifts: the live table, latency and
/// memory of the last third of the run stay near those of the middle third.
@Suite("Soak", .wholeMachine, .enabled(if: ProcessInfo.processInfo.environment["RECTIFY_SOAK_MINUTES"] != nil))
struct SoakTests {
    static let environment = ProcessInfo.processInfo.environment
    static let minutes = Double(environment["RECTIFY_SOAK_MINUTES"] ?? "") ?? 10
    static let rate = Int(environment["RECTIFY_SOAK_RATE"] ?? "") ?? 200
    static let output = environment["RECTIFY_SOAK_OUTPUT"] ?? "/tmp/rectify-soak.csv"
    static let sampleEvery = Duration.seconds(5)

    struct Sample {
        var elapsed: Double
        var enqueued: Int
        var depth: Int
        var completedInWindow: Int
        var p50: Double
        var p99: Double
        var workerRSSMiB: Double
        var liveTableKiB: Int
        var finishedTableKiB: Int
        var finishedRows: Int

        static let header = "elapsed_s,enqueued,depth,completed_in_window,latency_p50_ms,latency_p99_ms,worker_rss_mib,live_table_kib,finished_table_kib,finished_rows"
        var csv: String {
            "\(elapsed),\(enqueued),\(depth),\(completedInWindow),\(p50),\(p99),\(workerRSSMiB),\(liveTableKiB),\(finishedTableKiB),\(finishedRows)"
        }
    }

    /// Resident memory of a process in MiB, from /proc.
    static func residentMiB(_ pid: pid_t) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }

    @Test("a fixed enqueue rate drained for minutes: tables bounded, latency and memory steady")
    func soak() async throws {
        let cluster = try await PrivateTestCluster.start()
        do {
            try await run(cluster)
        } catch {
            Issue.record(error)
        }
        await cluster.destroy()
    }

    private func run(_ cluster: PrivateTestCluster) async throws {
        let url = try cluster.configuration.conninfo()
        #expect(try await RectifyProcess.run(["migrate"], database: url).status == 0)
        let pool = PostgresPool(configuration: cluster.configuration, logger: TestLogging.logger)
        let queue = JobQueue(pool: pool)
        // Housekeeping every 10 s. Finished jobs are kept (the retention goes a day at a time),
        // so the finished table grows with the jobs run; the live table must not.
        let workers = try (0..<2).map { _ in
            try RectifyProcess(
                ["work", "--queue", "default=50", "--prune-interval", "10", "--log-level", "warning"],
                database: url)
        }
        var samples: [Sample] = []
        var enqueued = 0
        let start = ContinuousClock.now
        var nextSample = start + Self.sampleEvery
        let end = start + .seconds(Self.minutes * 60)
        // Enqueue in ticks of 100 ms, keeping to the rate however long each enqueue takes.
        while ContinuousClock.now < end {
            let due = Int(Double(Self.rate) * Self.seconds(start.duration(to: .now)))
            if due > enqueued {
                let batch = try (enqueued..<due).map { _ in try JobRequest(kind: "noop", argsJSON: #"{"sleep_ms": 20}"#) }
                _ = try await queue.enqueue(batch)
                enqueued = due
            }
            if ContinuousClock.now >= nextSample {
                nextSample += Self.sampleEvery
                let row = try await pool.query("""
                    SELECT (SELECT count(*) FROM rectify_jobs),
                           count(*),
                           coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at)), 0)::float8,
                           coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at)), 0)::float8,
                           pg_total_relation_size('rectify_jobs') / 1024,
                           (SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('rectify_finished_jobs'))::int8 / 1024,
                           (SELECT count(*) FROM rectify_finished_jobs)
                    FROM rectify_finished_jobs
                    WHERE finished_at > now() - \(Self.sampleEvery.milliseconds) * interval '1 millisecond'
                    """)[0]
                let (depth, window, p50, p99, live, finished, finishedRows) = try row.decode((Int, Int, Double, Double, Int, Int, Int).self)
                let sample = Sample(
                    elapsed: Self.seconds(start.duration(to: .now)), enqueued: enqueued, depth: depth, completedInWindow: window,
                    p50: (p50 * 1000).rounded(), p99: (p99 * 1000).rounded(),
                    workerRSSMiB: workers.map { Self.residentMiB($0.pid) }.reduce(0, +), liveTableKiB: live,
                    finishedTableKiB: finished, finishedRows: finishedRows)
                samples.append(sample)
                let text = ([Sample.header] + samples.map(\.csv)).joined(separator: "\n") + "\n"
                try text.write(toFile: Self.output, atomically: true, encoding: .utf8)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        for worker in workers { worker.send(SIGTERM) }
        for worker in workers { #expect(try await worker.waitForExit() == 0) }
        await pool.close()

        // No drift: the last third against the middle third.
        let third = samples.count / 3
        try #require(third >= 2, "too few samples")
        let middle = samples[third..<(2 * third)]
        let last = samples[(2 * third)...]
        func mean(_ part: ArraySlice<Sample>, _ value: (Sample) -> Double) -> Double { part.map(value).reduce(0, +) / Double(part.count) }
        #expect(mean(last, { Double($0.liveTableKiB) }) <= mean(middle, { Double($0.liveTableKiB) }) * 1.5 + 1024, "live table grows")
        #expect(mean(last, \.p99) <= mean(middle, \.p99) * 2 + 50, "latency drifts")
        // Two workers; a leak of 700 bytes a job (a cancelled hour-long timer per job) grew them
        // by 30 MiB from the middle third to the last of a 10-minute run.
        #expect(mean(last, \.workerRSSMiB) <= mean(middle, \.workerRSSMiB) * 1.05 + 8, "worker memory grows")
        #expect(last.allSatisfy { $0.depth < Self.rate * 10 }, "the workers fell behind")
    }

    static func seconds(_ duration: Duration) -> Double {
        ((Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18) * 1000).rounded() / 1000
    }
}
