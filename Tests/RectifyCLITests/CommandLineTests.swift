import Foundation
import RectifyPostgres
import RectifyQueue
import RectifyTesting
import Testing

@Suite("rectify on the command line", .processes)
struct CommandLineTests {
    @Test("migrate, enqueue noop, work, and queue stats --json shows it completed")
    func endToEnd() async throws {
        let database = try await TestDatabase.fresh("cli")
        #expect(try await RectifyProcess.run(["migrate"], database: database.url).status == 0)
        let enqueued = try await RectifyProcess.run(["enqueue", "noop", "--args", "{}"], database: database.url)
        #expect(enqueued.status == 0)
        #expect(enqueued.output.contains("enqueued job"))
        let worker = try RectifyProcess(["work", "--poll", "0.1"], database: database.url)
        let completed = try await eventually {
            try await RectifyProcess.run(["queue", "stats", "--json"], database: database.url).output
                .contains(#""completed":1"#)
        }
        #expect(completed)
        worker.send(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
        #expect(worker.output.contains("shut down cleanly; exiting"), "the log says the shutdown finished: \(worker.output.suffix(400))")
    }

    @Test("errors are one line on stderr with a non-zero exit", arguments: [
        (["queue", "stats", "--database-url", "postgresql://ops:pw@127.0.0.1:1/ledger"], "127.0.0.1:1/ledger"),
        (["queue", "stats", "--database-url", "postgresql://x@127.0.0.1:5432/db?sslmode=bogus"], "invalid sslmode value"),
        (["enqueue", "noop", "--args", "{not json"], "--args: not valid JSON"),
        (["enqueue", "noop", "--args", "[1]"], "--args: must be a JSON object"),
        (["enqueue", "send_fax"], #"no job definition names kind "send_fax"; known kinds: "#),
        (["queue", "retry", "424242"], "no job with id 424242"),
        (["queue", "discard", "424242"], "no job with id 424242"),
    ])
    func oneLineErrors(arguments: [String], expected: String) async throws {
        let database = try await TestDatabase.fresh("clierrors")
        let result = try await RectifyProcess.run(arguments, database: database.url)
        #expect(result.status != 0)
        let lines = result.output.split(separator: "\n").filter { !$0.hasPrefix("rectify: using") }
        #expect(lines.count == 1, "one line: \(result.output)")
        #expect(result.output.contains(expected), "\(result.output)")
        #expect(!result.output.contains(":pw@"), "never the password")
    }
}

@Suite("rectify import", .processes)
struct ImportCommandTests {
    @Test("a file with one bad record is refused in one line and writes nothing; a good one imports once")
    func importAllOrNothing() async throws {
        let database = try await TestDatabase.fresh("cliimport")
        let good = #"""
            {"format": "rectify-ledger/1",
             "regions": [{"code": "130000", "name": "Hebei", "level": "province", "parent": null}],
             "units": [{"id": "U-130000-EEB", "name": "Hebei Dept. of Ecology and Environment", "region": "130000", "kind": "department"}]}
            """#
        let bad = good.replacingOccurrences(of: #""kind": "department""#, with: #""kind": "ministry""#)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rectify-import-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let goodFile = folder.appendingPathComponent("good.json")
        let badFile = folder.appendingPathComponent("bad.json")
        try good.write(to: goodFile, atomically: true, encoding: .utf8)
        try bad.write(to: badFile, atomically: true, encoding: .utf8)

        let refused = try await RectifyProcess.run(["import", badFile.path], database: database.url)
        #expect(refused.status == 1)
        #expect(refused.output.contains(#"units[0] (id U-130000-EEB).kind: "ministry" is not one of"#))
        #expect(refused.output.contains("nothing was imported"))
        let stats = try await database.withPool { pool in
            try await pool.query("SELECT (SELECT count(*) FROM rectify_regions) + (SELECT count(*) FROM rectify_units)")[0].decode(Int.self, at: 0)
        }
        #expect(stats == 0, "the valid region in the refused file was not written either")

        let missing = try await RectifyProcess.run(["import", folder.appendingPathComponent("none.json").path], database: database.url)
        #expect(missing.status == 1)
        #expect(missing.output.contains("\(folder.path)/none.json cannot be opened for reading; nothing was imported"), "\(missing.output)")
        #expect(missing.output.components(separatedBy: "none.json").count == 2, "the path is named once")
        let notJSON = folder.appendingPathComponent("notes.txt")
        try "month-end notes".write(to: notJSON, atomically: true, encoding: .utf8)
        let garbled = try await RectifyProcess.run(["import", notJSON.path], database: database.url)
        #expect(garbled.output.contains("\(notJSON.path) is not valid JSON (expected '{'"), "\(garbled.output)")

        #expect(try await RectifyProcess.run(["import", goodFile.path], database: database.url).status == 0)
        let again = try await RectifyProcess.run(["import", goodFile.path], database: database.url)
        #expect(again.output.contains("nothing changed"))
    }

    @Test("a ledger through a pipe imports, and its reading ends with the count of records read")
    func importThroughPipe() async throws {
        let database = try await TestDatabase.fresh("clipipe")
        let pipe = try NamedPipe()
        defer { pipe.remove() }
        let process = try RectifyProcess(["import", pipe.path], database: database.url)
        let input = try #require(try await pipe.openForWriting(), "\(process.output)")
        try input.write(contentsOf: SampleLedger.json())
        try input.close()
        #expect(try await process.waitForExit() == 0, "\(process.output)")
        // A pipe has no size, so no fraction; the final count is shown even for a quick read.
        #expect(process.output.contains("reading \(pipe.path): 10 records, "), "\(process.output)")
        #expect(process.output.contains("tasks           2 new, 0 updated, 0 unchanged"), "\(process.output)")
    }
}

@Suite("rectify demo", .processes)
struct DemoCommandTests {
    @Test("the demo's three months close the loop through real workers: offices report, the province accepts, notices end, tasks close, documents are issued in order; a second run changes nothing")
    func demoMonth() async throws {
        let database = try await TestDatabase.fresh("demo")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rectify-demo-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: folder) }
        for run in 1...2 {
            let result = try await RectifyProcess.run(["demo", "--period", "2026-10", "--out", folder.path], database: database.url)
            #expect(result.status == 0, "run \(run): \(result.output)")
            if run == 1 {
                #expect(result.output.contains("through POST /v1/progress"), "\(result.output)")
                #expect(result.output.contains("report jobs #") && result.output.contains("monthly_schedule completed"))
                #expect(result.output.contains(") 冀督改办通〔2026〕1号") && result.output.contains(") 冀督改办通〔2026〕3号"),
                        "one notice a month, numbered in order of issue: \(result.output)")
                #expect(result.output.contains("1 objection in the public notice"))
                #expect(result.output.components(separatedBy: " submissions accepted); province accepted ").count == 4, "\(result.output)")
            } else {
                #expect(result.output.components(separatedBy: "documents issued on an earlier run; nothing changed").count == 4,
                        "\(result.output)")
                #expect(!result.output.contains("submissions accepted") && !result.output.contains("issued 月度调度"), "\(result.output)")
            }
        }
        var closed: [Int] = []
        for month in ["2026-08", "2026-09", "2026-10"] {
            let reports = folder.appendingPathComponent(month)
            for kind in ["monthly_schedule", "name_and_shame", "accountability_tally", "public_disclosure"] {
                let json = try Data(contentsOf: reports.appendingPathComponent("\(kind).json"))
                let document = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
                #expect(document["kind"] as? String == kind && document["period"] as? String == month)
                #expect(document["status"] as? String == "issued")
                let issuedOn = try #require(document["issued_on"] as? String)
                #expect(issuedOn > month + "-31" && issuedOn.hasSuffix("-05"), "dated early in the month after, never inside the period")
                if kind == "monthly_schedule" { closed.append(try #require((document["figures"] as? [String: Any])?["tasks_closed"] as? Int)) }
                let markdown = try String(contentsOf: reports.appendingPathComponent("\(kind).md"), encoding: .utf8)
                #expect(markdown.contains("中央生态环境保护督察整改") && !markdown.contains("拟稿"))
                let html = try String(contentsOf: reports.appendingPathComponent("\(kind).html"), encoding: .utf8)
                #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
            }
        }
        #expect(closed[0] > 67 && closed[0] < closed[1] && closed[1] < closed[2], "tasks close month after month: \(closed)")
        let notice = try String(contentsOf: folder.appendingPathComponent("2026-10/name_and_shame.md"), encoding: .utf8)
        #expect(notice.contains("冀督改办通〔2026〕3号") && notice.contains("## 二、升级情况") && notice.contains("| 预警 | 通报批评 |"))
        let schedule = try String(contentsOf: folder.appendingPathComponent("2026-10/monthly_schedule.md"), encoding: .utf8)
        #expect(schedule.contains("经批准延期1项"), "the task the province extended in September")
        let counts = try await database.withPool { pool in
            try await pool.query("""
                SELECT (SELECT count(*) FROM rectify_reports), (SELECT count(*) FROM rectify_jobs),
                       (SELECT count(*) FROM rectify_finished_jobs WHERE kind = 'apply_progress' AND state = 'completed'),
                       (SELECT count(*) FROM rectify_progress_submissions WHERE job_id IS NOT NULL),
                       (SELECT count(*) FROM rectify_task_history WHERE source = 'objection'),
                       (SELECT count(*) FROM rectify_task_history WHERE source = 'public_notice')
                """)[0].decode((Int, Int, Int, Int, Int, Int).self)
        }
        #expect(counts.0 == 12, "three months of four documents, issued; the second run wrote no new draft")
        #expect(counts.1 == 0, "the queue drained, the last public notices included")
        #expect(counts.2 > 0 && counts.2 == counts.3, "every submission came through the API with the job that applied it")
        #expect(counts.4 == 1 && counts.5 > 30, "one objection; the close-out job closed the others")
        let listed = try await RectifyProcess.run(["report", "list", "--period", "2026-10"], database: database.url).output
        let lines = listed.split(separator: "\n").filter { !$0.hasPrefix("rectify:") }
        #expect(lines.first?.hasPrefix("id  period   report") == true, "\(listed)")
        #expect(lines.contains { $0.contains("2026-10  点名通报          name_and_shame ") && $0.contains("冀督改办通〔2026〕3号") },
                "names line up, each Chinese character two columns wide: \(listed)")
        let noticeID = try #require(lines.first { $0.contains("name_and_shame") }?.split(separator: " ").first.map(String.init))
        let again = try await RectifyProcess.run(["report", "issue", noticeID], database: database.url)
        #expect(again.status != 0 && again.output.contains("is already issued"), "\(again.output)")
        let inside = try await RectifyProcess.run(["report", "issue", noticeID, "--reissue", "--on", "2026-10-20"], database: database.url)
        #expect(inside.status != 0 && inside.output.contains("2026-10-20 is inside it"), "\(inside.output)")
        let reissued = try await RectifyProcess.run(["report", "issue", noticeID, "--reissue", "--on", "2026-11-20", "--by", "省督察整改办"],
                                                    database: database.url)
        #expect(reissued.status == 0 && reissued.output.contains("issued on 2026-11-20 as 冀督改办通〔2026〕4号, replacing report \(noticeID)"),
                "a reissue takes the next number of the year: \(reissued.output)")
        let shown = try await RectifyProcess.run(["report", "show", noticeID, "--format", "md"], database: database.url).output
        #expect(shown.contains("本文件已被2026年11月20日印发的冀督改办通〔2026〕4号代替，不再有效。"), "\(shown)")
    }
}

@Suite("rectify bench domain", .processes)
struct DomainBenchmarkTests {
    @Test("at province scale it imports, runs each report through a worker process and prints its JSON")
    func provinceScale() async throws {
        let database = try await TestDatabase.fresh("benchdomain")
        let result = try await RectifyProcess.run(["bench", "domain", "--scale", "province", "--json"], database: database.url)
        #expect(result.status == 0, "\(result.output)")
        let line = try #require(result.output.split(separator: "\n").last { $0.hasPrefix("{") })
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(figures["records"] as? Int == 37_268)
        #expect((figures["import_records_per_s"] as? Double ?? 0) > 0)
        #expect((figures["max_rss_mb"] as? Double ?? 0) > 0, "the worker's peak memory was read")
        let reports = try #require(figures["report_seconds"] as? [String: Double])
        #expect(Set(reports.keys) == ["monthly_schedule", "name_and_shame", "accountability_tally"])
        let left = try await database.withPool { pool in
            try await pool.query("SELECT count(*) FROM pg_database WHERE datname LIKE 'rectify_bench_domain_%'")[0].decode(Int.self, at: 0)
        }
        #expect(left == 0, "the scratch database is dropped")
    }
}

@Suite("rectify bench queue", .processes)
struct QueueBenchmarkTests {
    @Test("it drains every job it enqueued, measures the latency, prints its JSON and leaves no finished job behind")
    func smallRun() async throws {
        let database = try await TestDatabase.fresh("benchqueue")
        let result = try await RectifyProcess.run(
            ["bench", "queue", "--jobs", "500", "--workers", "2", "--latency-rate", "50", "--latency-seconds", "1", "--json"],
            database: database.url)
        #expect(result.status == 0, "\(result.output)")
        let line = try #require(result.output.split(separator: "\n").last { $0.hasPrefix("{") })
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(figures["jobs"] as? Int == 500)
        #expect((figures["drain_jobs_per_s"] as? Double ?? 0) > 0 && (figures["enqueue_jobs_per_s"] as? Double ?? 0) > 0)
        #expect((figures["latency_samples"] as? Int ?? 0) >= 40, "\(line)")
        let stats = try await database.withPool { pool in try await JobQueue(pool: pool).stats() }
        let left = stats.values.map { $0.available + $0.scheduled + $0.running + $0.retryable + $0.completed + $0.discarded }
        #expect(left.allSatisfy { $0 == 0 } && stats.values.allSatisfy { !$0.paused }, "\(stats)")
    }
}

@Suite("rectify task extend", .processes)
struct TaskExtendTests {
    @Test("the province extends an open task with a reason; a deadline not later is refused and changes nothing")
    func extend() async throws {
        let database = try await TestDatabase.fresh("cliextend")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rectify-extend-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try SampleLedger.json().write(to: file)
        #expect(try await RectifyProcess.run(["import", file.path], database: database.url).status == 0)
        let early = try await RectifyProcess.run(
            ["task", "extend", "CEI2-HE-001", "--to", "2023-06-30", "--reason", "汛期"], database: database.url)
        #expect(early.status == 1)
        #expect(early.output.contains("task CEI2-HE-001: deadline: 2023-06-30 is not later than the current deadline 2023-12-31; nothing was changed"),
                "\(early.output)")
        let extended = try await RectifyProcess.run(
            ["task", "extend", "CEI2-HE-001", "--to", "2027-03-31", "--reason", "受汛期影响，施工窗口推迟"], database: database.url)
        #expect(extended.status == 0, "\(extended.output)")
        #expect(extended.output.contains("task CEI2-HE-001: deadline 2023-12-31 → 2027-03-31 (受汛期影响，施工窗口推迟)"))
        let row = try await database.withPool { pool in
            try await pool.query("""
                SELECT (SELECT deadline::text FROM rectify_tasks WHERE id = 'CEI2-HE-001'),
                       (SELECT count(*) FROM rectify_task_history WHERE source = 'extension' AND note = '受汛期影响，施工窗口推迟')
                """)[0].decode((String, Int).self)
        }
        #expect(row.0 == "2027-03-31" && row.1 == 1)
    }
}
