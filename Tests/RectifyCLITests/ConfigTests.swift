import Foundation
import RectifyConfig
import RectifySchedule
import RectifyWorker
import RectifyTesting
import Testing

@Suite("Configuration: file, environment, flags", .processes)
struct ConfigTests {
    private func file(_ yaml: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rectify-\(UUID().uuidString).yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Config/rectify.example.yaml, found from this source file.
    private var exampleFile: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Config/rectify.example.yaml")
            .standardized.path
    }

    @Test("the example file is valid and states exactly the defaults")
    func exampleStatesTheDefaults() throws {
        let example = try SettingsSource.load(file: exampleFile, environment: [:])
        let defaults = Settings()
        for key in SettingKey.all {
            #expect(key.show(example) == key.show(defaults), "\(key.path)")
        }
        let text = try String(contentsOfFile: exampleFile, encoding: .utf8)
        for key in SettingKey.all {
            #expect(text.contains(String(key.path.split(separator: ".").last!) + ":"), "the example documents \(key.path)")
        }
    }

    @Test("the environment overrides the file, which overrides the defaults")
    func precedence() throws {
        let path = try file("scheduler:\n  day: 5\n  time: \"03:30\"\nworker:\n  queues:\n    reports: 2\n")
        let fromFile = try SettingsSource.load(file: path, environment: [:])
        #expect(fromFile.scheduler.day == 5 && fromFile.scheduler.hour == 3 && fromFile.scheduler.minute == 30)
        #expect(fromFile.worker.queues == ["reports": 2])
        #expect(fromFile.scheduler.timeZone.identifier == "Asia/Shanghai", "unset keys keep their defaults")
        let fromEnvironment = try SettingsSource.load(
            file: path, environment: ["RECTIFY_SCHEDULER_DAY": "7", "RECTIFY_WORKER_QUEUES": "default=10,reports=1"])
        #expect(fromEnvironment.scheduler.day == 7 && fromEnvironment.scheduler.hour == 3)
        #expect(fromEnvironment.worker.queues == ["default": 10, "reports": 1])
        #expect(try SettingsSource.load(file: nil, environment: ["RECTIFY_CONFIG": path]).scheduler.day == 5)
    }

    @Test("each kind of bad value names the key and what it allows", arguments: [
        ("scheduler:\n  day: 31\n", "scheduler.day: 31 is outside 1–28"),
        ("scheduler:\n  day: soon\n", #"scheduler.day: "soon" is not a whole number from 1 to 28"#),
        ("scheduler:\n  time: \"25:00\"\n", #"scheduler.time: "25:00" is not a time HH:MM (00:00–23:59)"#),
        ("scheduler:\n  time_zone: Mars/Olympus\n", #"scheduler.time_zone: "Mars/Olympus" is not a time zone (e.g. Asia/Shanghai)"#),
        ("scheduler:\n  enabled: maybe\n", "scheduler.enabled: must be true or false"),
        ("scheduler:\n  catch_up_limit: 0\n", "scheduler.catch_up_limit: 0 is outside 1–120"),
        ("scheduler:\n  entries:\n    nightly:\n      cron: \"61 3 * * *\"\n      time_zone: UTC\n      kind: noop\n",
         "scheduler.entries: nightly.cron: minute: 61 is outside 0–59"),
        ("scheduler:\n  entries:\n    nightly:\n      cron: \"0 3 * * *\"\n      kind: noop\n",
         "scheduler.entries: nightly.time_zone: required, an IANA time zone such as Asia/Shanghai"),
        ("scheduler:\n  entries:\n    nightly:\n      cron: \"0 3 * * *\"\n      time_zone: UTC\n      kind: noop\n      catch_up_limit: 0\n",
         "scheduler.entries: nightly.catch_up_limit: must be at least 1"),
        ("scheduler:\n  entries:\n    monthly_run:\n      cron: \"0 3 * * *\"\n      time_zone: UTC\n      kind: noop\n",
         "scheduler.entries: monthly_run: is the monthly run, set by scheduler.day, time and time_zone"),
        ("worker:\n  lease_seconds: -1\n", "worker.lease_seconds: -1 is outside seconds from 1 to 86,400"),
        ("worker:\n  queues:\n    reports: 0\n", "worker.queues: must map queue names to positive whole numbers (default: 200, reports: 4)"),
        ("http:\n  port: 70000\n", "http.port: 70000 is outside 1–65535"),
        ("scheduler:\n  dya: 3\n", "scheduler.dya: unknown key (known: scheduler.enabled, scheduler.day"),
        ("schedular:\n  day: 3\n", "schedular: unknown section (known: closeout, database, desk, http"),
        ("scheduler: [1, 2\n", "is not valid YAML"),
        ("- 1\n- 2\n", "must be a mapping of sections"),
    ])
    func badValues(yaml: String, expected: String) throws {
        let path = try file(yaml)
        let error = #expect(throws: SettingsError.self) { try SettingsSource.load(file: path, environment: [:]) }
        #expect(error?.description.hasPrefix(path) == true)
        #expect(error?.description.contains(expected) == true, "\(error.map { "\($0)" } ?? "no error")")
    }

    @Test("periodic entries come from the file as a mapping and from the environment as JSON; the monthly entry leads")
    func periodicEntries() throws {
        let path = try file("""
            scheduler:
              day: 2
              time_zone: UTC
              entries:
                nightly:
                  cron: "30 3 * * 1-5"
                  time_zone: Asia/Shanghai
                  kind: noop
                  args: {note: nightly}
                  queue: maintenance
            """)
        let fromFile = try SettingsSource.load(file: path, environment: [:]).scheduler
        #expect(fromFile.allEntries.map(\.name) == ["monthly_run", "nightly"])
        #expect(fromFile.monthlyEntry.cron.text == "0 2 2 * *" && fromFile.monthlyEntry.kind == "monthly_run")
        let nightly = fromFile.entries[0]
        #expect(nightly.cron.text == "30 3 * * 1-5" && nightly.cron.timeZone.identifier == "Asia/Shanghai")
        #expect(nightly.argsJSON == #"{"note":"nightly"}"# && nightly.queue == "maintenance" && nightly.catchUpLimit == 3)
        let json = #"{"hourly": {"cron": "0 * * * *", "time_zone": "Asia/Shanghai", "kind": "noop", "catch_up_limit": 5}}"#
        let fromEnvironment = try SettingsSource.load(file: nil, environment: ["RECTIFY_SCHEDULER_ENTRIES": json]).scheduler
        #expect(fromEnvironment.entries.map(\.name) == ["hourly"] && fromEnvironment.entries[0].catchUpLimit == 5)
    }

    @Test("a bad environment variable is named as such")
    func badEnvironment() {
        #expect(throws: SettingsError(location: "RECTIFY_NAME_AND_SHAME_STALLED_AFTER_MONTHS", message: "0 is outside 1–24")) {
            try SettingsSource.load(file: nil, environment: ["RECTIFY_NAME_AND_SHAME_STALLED_AFTER_MONTHS": "0"])
        }
    }

    @Test("on the command line: flag over DATABASE_URL over the file; config check exits non-zero on a bad file")
    func commandLine() async throws {
        let path = try file("database:\n  url: postgresql://file:pw@file-host/db\n")
        let fileOnly = try await RectifyProcess.run(["config", "show", "--config", path], database: nil)
        #expect(fileOnly.output.contains("database.url: postgresql://file:***@file-host/db"), "\(fileOnly.output)")
        let environment = try await RectifyProcess.run(["config", "show", "--config", path], database: "postgresql://env:pw@env-host/db")
        #expect(environment.output.contains("database.url: postgresql://env:***@env-host/db"), "\(environment.output)")
        let flag = try await RectifyProcess.run(
            ["config", "show", "--config", path, "--database-url", "postgresql://flag:pw@flag-host/db"], database: "postgresql://env:pw@env-host/db")
        #expect(flag.output.contains("database.url: postgresql://flag:***@flag-host/db"), "\(flag.output)")
        #expect(!flag.output.contains("pw@"), "passwords are never printed")

        #expect(try await RectifyProcess.run(["config", "check", exampleFile], database: nil).status == 0)
        let bad = try await RectifyProcess.run(["config", "check", try file("http:\n  port: 0\n")], database: nil)
        #expect(bad.status != 0 && bad.output.contains("http.port: 0 is outside 1–65535"), "\(bad.output)")
        let unknownKind = try await RectifyProcess.run(["config", "check", try file("""
            scheduler:
              entries:
                nightly: {cron: "0 3 * * *", time_zone: UTC, kind: reindex_everything}
            """)], database: nil)
        #expect(unknownKind.status != 0, "workers claim only kinds they run, so an entry of another kind would never run")
        #expect(unknownKind.output.contains("scheduler.entries.nightly.kind: reindex_everything is not a job kind rectify runs; the kinds are "),
                "\(unknownKind.output)")
        let badEnvironment = try await RectifyProcess.run(
            ["queue", "stats"], database: nil, environment: ["RECTIFY_SCHEDULER_DAY": "0"])
        #expect(badEnvironment.status != 0 && badEnvironment.output.contains("RECTIFY_SCHEDULER_DAY: 0 is outside 1–28"), "\(badEnvironment.output)")
    }
}
