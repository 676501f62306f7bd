import Foundation
import Logging
import RectifyDomain
import RectifyLedger
import RectifyLocalCluster
import RectifyPostgres
import RectifyQueue
import RectifyReports
import RectifySchema

/// `rectify bench domain`: generates a national (or provincial) ledger, imports it, and runs
/// each monthly report job through a real `rectify work` process, reading the worker's peak
/// memory from the kernel.
///
/// Everything happens in a scratch database on the server given, dropped at the end, so the
/// benchmark never touches the ledger a real office keeps.
struct DomainBenchmark: Sendable {
    struct Result: Codable {
        var scale: String
        var records: Int
        var fileMB: Double
        var importSeconds: Double
        var importRecordsPerS: Double
        var reportSeconds: [String: Double]
        var maxRSSMB: Double

        enum CodingKeys: String, CodingKey {
            case scale, records
            case fileMB = "file_mb", importSeconds = "import_seconds", importRecordsPerS = "import_records_per_s"
            case reportSeconds = "report_seconds", maxRSSMB = "max_rss_mb"
        }
    }

    /// The month the report jobs run for: fixed, so runs compare.
    static let period = Period(year: 2026, month: 10)!

    let server: PostgresConfiguration
    let scale: NationalLedger.Scale
    /// Where to keep the generated file, if anywhere.
    let keepLedger: String?
    let logger: Logger

    func run() async throws -> Result {
        let scratch = "rectify_bench_domain_\(scratchSuffix())"
        let admin = try await PostgresConnection.connect(server, logger: logger)
        do {
            try await admin.createDatabaseIfMissing(scratch)
        } catch {
            throw CommandError("bench domain works in a scratch database and could not create one (\(error)); the role needs CREATEDB")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(scratch)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let database = server.with(database: scratch)
        do {
            let result = try await measure(in: database, folder: folder)
            try await admin.dropDatabaseIfExists(scratch)
            return result
        } catch {
            try? await admin.dropDatabaseIfExists(scratch)
            throw error
        }
    }

    private func measure(in database: PostgresConfiguration, folder: URL) async throws -> Result {
        try await PostgresPool.withPool(configuration: database, logger: logger) { pool in
            _ = try await RectifySchema.catalog.migrate(pool, logger: logger)
            let file = folder.appendingPathComponent("ledger.json").path
            let bytes = try generate(to: file)
            if let keepLedger { try FileManager.default.copyItem(atPath: file, toPath: keepLedger) }
            let (records, importSeconds) = try await importLedger(file, pool: pool)
            Terminal.note("submitting three months of progress for \(Self.period)")
            try await BenchmarkProgress.seed(pool: pool, period: Self.period)
            // Offices and months of submissions arrive over weeks while autovacuum keeps their
            // statistics; created in one go here, they are analyzed as autovacuum would have.
            try await pool.query("ANALYZE")
            let (reportSeconds, peak) = try await runReports(on: pool, database: database)
            return Result(
                scale: scale.rawValue, records: records, fileMB: Double(bytes) / 1_048_576, importSeconds: importSeconds,
                importRecordsPerS: Double(records) / importSeconds, reportSeconds: reportSeconds, maxRSSMB: peak)
        }
    }

    private func generate(to path: String) throws -> Int {
        let generator = NationalLedger(scale: scale)
        Terminal.note("generating a \(scale.rawValue) ledger of \(generator.recordCount.formatted()) records")
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw CommandError("cannot write \(path)")
        }
        defer { try? handle.close() }
        return try generator.write(to: handle)
    }

    /// Imports the file as `rectify import` does; returns the records and the seconds taken.
    private func importLedger(_ path: String, pool: PostgresPool) async throws -> (Int, Double) {
        let progress = ProgressLine("importing")
        let started = ContinuousClock.now
        let summary = try await LedgerImporter(pool: pool, logger: logger).importFile(at: path) { step in
            if case .reading(let records, let bytesRead, let totalBytes) = step {
                progress.update(done: bytesRead, total: totalBytes, items: records, itemName: "records")
            }
        }
        let seconds = started.duration(to: .now).secondsDouble
        progress.complete()
        progress.end()
        let records = summary.arrays.reduce(0) { $0 + $1.counts.inserted + $1.counts.updated + $1.counts.unchanged }
        return (records, seconds)
    }

    /// Runs each report job alone through one `rectify work` process; returns each job's
    /// run time (from its claim to its completion) and the worker's peak resident memory in MB.
    private func runReports(on pool: PostgresPool, database: PostgresConfiguration) async throws -> ([String: Double], Double) {
        let log = Spawn.temporaryOutputPath("bench-worker")
        let pid = try Spawn.start(
            [Self.executablePath, "work", "--queue", "reports=1", "--log-level", "warning"],
            environment: ["DATABASE_URL": try database.conninfo()], outputPath: log)
        var seconds: [String: Double] = [:]
        var peak = 0.0
        do {
            let queue = JobQueue(pool: pool)
            for kind in [ReportJobs.monthlySchedule, ReportJobs.nameAndShame, ReportJobs.accountabilityTally] {
                Terminal.note("running \(kind) for \(Self.period)")
                let request = try JobRequest(kind: kind, args: ReportJobs.Args(period: "\(Self.period)"), queue: "reports")
                guard let id = try await queue.enqueue([request]).first?.insertedID else { throw CommandError("\(kind) was not enqueued") }
                var job = try await queue.job(id: id)
                while !job.state.isFinished {
                    peak = max(peak, Self.peakResidentMB(of: pid))
                    try await Task.sleep(for: .milliseconds(20))
                    job = try await queue.job(id: id)
                }
                guard job.state == .completed, let started = job.attemptedAt, let finished = job.finishedAt else {
                    throw CommandError("\(kind) ended \(job.state.rawValue): \(job.errors.last?.error ?? "see \(log)")")
                }
                seconds[kind] = finished.timeIntervalSince(started)
            }
            peak = max(peak, Self.peakResidentMB(of: pid))
        } catch {
            kill(pid, SIGKILL)
            _ = try? await OwnThread.run(name: "rectify-bench-wait") { Spawn.waitBlocking(pid) }
            throw error
        }
        kill(pid, SIGTERM)
        _ = try await OwnThread.run(name: "rectify-bench-wait") { Spawn.waitBlocking(pid) }
        try? FileManager.default.removeItem(atPath: log)
        return (seconds, peak)
    }

    /// This program's own executable.
    private static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ProcessInfo.processInfo.arguments[0]
    }

    /// The peak resident set (`VmHWM`) of a process, in MB; 0 when the kernel does not say.
    static func peakResidentMB(of pid: pid_t) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return 0 }
        return kilobytes / 1024
    }
}
