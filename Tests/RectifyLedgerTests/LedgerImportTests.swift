import Foundation
import RectifyDomain
import RectifyLedger
import RectifyPostgres
import RectifyTesting
import Testing

private let ledgerFile = #"""
{"format": "rectify-ledger/1",
 "regions": [{"code": "130000", "name": "Hebei", "level": "province", "parent": null},
             {"code": "130100", "name": "Shijiazhuang", "level": "city", "parent": "130000"}],
 "units": [{"id": "U-130100-GOV", "name": "Shijiazhuang Municipal Government", "region": "130100", "kind": "government"},
           {"id": "U-130100-EEB", "name": "Shijiazhuang Ecology Bureau", "region": "130100", "kind": "department"}],
 "rounds": [{"id": "CEI2-HE", "name": "Second round, Hebei", "group": "Central No. 1 Supervision Group", "region": "130000",
             "inspected_from": "2022-03-23", "inspected_to": "2022-04-23", "feedback_on": "2022-06-01"}],
 "tasks": [{"id": "CEI2-HE-001", "round": "CEI2-HE", "title": "Dust", "category": "air", "region": "130100",
            "lead_unit": "U-130100-GOV", "deadline": "2023-12-31", "status": "in_progress", "progress": 40, "closed_on": null}],
 "petitions": [{"id": "CEI2-HE-P0001", "round": "CEI2-HE", "region": "130100", "received_on": "2022-04-02",
                "category": "air", "status": "open", "closed_on": null}],
 "accountability": [{"id": "CEI2-HE-A01", "round": "CEI2-HE", "region": "130000", "source": "provincial",
                     "opened_on": "2022-06-10", "concluded_on": null, "units": ["U-130100-GOV", "U-130100-EEB"],
                     "persons": [{"name": "Li Si", "position": "Director", "rank": "department", "sanction": "admonishment"}]}]}
"""#

@Suite("Importing ledgers into the database", .database)
struct LedgerImportTests {
    /// Writes `contents` to a file and imports it the way `rectify import` does; `bulk` loads it
    /// as a large file would be, one record per batch.
    private func importFile(_ contents: Data, _ pool: PostgresPool, bulk: Bool = false) async throws -> ImportSummary {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString).json")
        try contents.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        var importer = LedgerImporter(pool: pool, logger: TestLogging.logger)
        if bulk {
            importer.bulkFromBytes = 0
            importer.batchSize = 1
        }
        return try await importer.importFile(at: file.path)
    }

    private func importFile(_ text: String, _ pool: PostgresPool, bulk: Bool = false) async throws -> ImportSummary {
        try await importFile(Data(text.utf8), pool, bulk: bulk)
    }

    /// The foreign keys of the ledger's tables, to prove a bulk import restores them.
    private func foreignKeys(_ pool: PostgresPool) async throws -> [String] {
        try await pool.query("""
            SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
            WHERE contype = 'f' AND conrelid::regclass::text LIKE 'rectify_%' ORDER BY 1
            """).map { try $0.decode(String.self, at: 0) }
    }

    /// Rows in every ledger table, to prove a refused import wrote nothing.
    private func ledgerRows(_ pool: PostgresPool) async throws -> Int {
        let tables = ["regions", "units", "rounds", "tasks", "petitions", "accountability_cases", "accountability_units", "accountability_persons"]
        let sql = tables.map { "(SELECT count(*) FROM rectify_\($0))" }.joined(separator: " + ")
        return try await pool.query(PostgresQuery(sql: "SELECT \(sql)"))[0].decode(Int.self, at: 0)
    }

    @Test("every bad record is refused with array, index, id and field, and nothing is written", arguments: [false, true])
    func refusals(bulk: Bool) async throws {
        let database = try await TestDatabase.fresh("ledgerrefusals")
        try await database.withPool { pool in
            let keys = try await foreignKeys(pool)
            for refusal in SampleLedger.refusals {
                let error = await #expect(throws: LedgerError.self, "\(refusal)") {
                    try await importFile(SampleLedger.json(refusal.edit.apply), pool, bulk: bulk)
                }
                #expect(error?.description == refusal.error)
                let rows = try await ledgerRows(pool)
                #expect(rows == 0, "\(refusal) wrote nothing")
            }
            let truncated = await #expect(throws: LedgerError.self) { try await importFile(SampleLedger.json().dropLast(40), pool) }
            #expect(truncated?.description.hasPrefix("the file is not valid JSON") == true)
            let rows = try await ledgerRows(pool)
            #expect(rows == 0, "a truncated file wrote nothing")
            let valid = try await importFile(SampleLedger.json(), pool, bulk: bulk)
            #expect(valid.arrays.map(\.counts.inserted) == [3, 2, 1, 2, 1, 1],
                    "the sample itself is valid, with its arrays in alphabetical order in the file")
            let keysAfter = try await foreignKeys(pool)
            #expect(keysAfter == keys && !keys.isEmpty, "foreign keys are all in place after the imports")
        }
    }

    @Test("the same file twice changes nothing the second time; a later file updates records by id", arguments: [false, true])
    func idempotentImport(bulk: Bool) async throws {
        let database = try await TestDatabase.fresh("ledgerimport")
        try await database.withPool { pool in
            let importFile = { (text: String, pool: PostgresPool) in try await self.importFile(text, pool, bulk: bulk) }
            let first = try await importFile(ledgerFile, pool)
            #expect(first.arrays.map(\.counts.inserted) == [2, 2, 1, 1, 1, 1])
            let rowVersions = "SELECT string_agg(xmin::text, ',' ORDER BY id) FROM rectify_tasks"
            let before = try await pool.query(PostgresQuery(sql: rowVersions))[0].decode(String.self, at: 0)

            let second = try await importFile(ledgerFile, pool)
            #expect(second.changedNothing)
            #expect(try await pool.query(PostgresQuery(sql: rowVersions))[0].decode(String.self, at: 0) == before,
                    "unchanged rows are not rewritten")

            let later = ledgerFile
                .replacingOccurrences(of: #""progress": 40"#, with: #""progress": 60"#)
                .replacingOccurrences(of: #""units": ["U-130100-GOV", "U-130100-EEB"]"#, with: #""units": ["U-130100-EEB"]"#)
            let third = try await importFile(later, pool)
            #expect(third.arrays.first { $0.name == "tasks" }?.counts == .init(inserted: 0, updated: 1, unchanged: 0))
            #expect(third.arrays.first { $0.name == "accountability" }?.counts == .init(inserted: 0, updated: 1, unchanged: 0))
            #expect(try await pool.query("SELECT progress FROM rectify_tasks")[0].decode(Int.self, at: 0) == 60)
            let held = try await pool.query("SELECT unit FROM rectify_accountability_units ORDER BY ordinal").map { try $0.decode(String.self, at: 0) }
            #expect(held == ["U-130100-EEB"])
        }
    }

    @Test("two imports at once, the second in bulk, both commit: the second waits for the first, staging included")
    func concurrentImports() async throws {
        let database = try await TestDatabase.fresh("ledgerconcurrent")
        try await database.withPool { pool in
            _ = try await importFile(ledgerFile, pool)
            let keys = try await foreignKeys(pool)
            let progressed = ledgerFile.replacingOccurrences(of: #""progress": 40"#, with: #""progress": 50"#)
            let renamed = progressed.replacingOccurrences(of: "Ecology Bureau", with: "Ecology and Environment Bureau")
            // The first import reads a pipe: it has begun staging and waits for the file's bytes
            // while the second, in bulk, starts.
            let pipe = try NamedPipe()
            defer { pipe.remove() }
            let first = Task { try await LedgerImporter(pool: pool, logger: TestLogging.logger).importFile(at: pipe.path) }
            let pipeInput = try #require(try await pipe.openForWriting(timeout: .seconds(10)), "the first import opens the pipe")
            #expect(try await eventually(timeout: .seconds(10)) {
                try await pool.clientSessions(where: "state = 'idle in transaction' AND query LIKE 'CREATE TEMP TABLE%'") == 1
            }, "the first import is staging")
            let second = Task { try await importFile(renamed, pool, bulk: true) }
            #expect(try await eventually(timeout: .seconds(10)) { try await pool.clientSessions(where: "wait_event_type = 'Lock'") == 1 },
                    "the bulk import waits for the first")
            try pipeInput.write(contentsOf: Data(progressed.utf8))
            try pipeInput.close()
            let firstSummary = try await first.value
            let secondSummary = try await second.value
            #expect(firstSummary.arrays.first { $0.name == "tasks" }?.counts.updated == 1)
            #expect(secondSummary.arrays.first { $0.name == "tasks" }?.counts.updated == 0, "the first import's progress was there already")
            #expect(secondSummary.arrays.first { $0.name == "units" }?.counts.updated == 1)
            #expect(try await foreignKeys(pool) == keys, "the bulk import restored the foreign keys")
        }
    }

    @Test("a bulk import gives way to a reader's snapshot that holds one ledger table and asks for another; both commit")
    func bulkImportGivesWay() async throws {
        let database = try await TestDatabase.fresh("ledgergiveway")
        try await database.withPool { pool in
            _ = try await importFile(ledgerFile, pool)
            let renamed = ledgerFile.replacingOccurrences(of: "Ecology Bureau", with: "Ecology and Environment Bureau")
            let (tasks, load) = try await pool.transaction(isolation: .repeatableRead) { connection in
                // A report's snapshot reads the units first and the tasks later.
                _ = try await connection.query("SELECT count(*) FROM rectify_units")
                let load = Task { try await importFile(renamed, pool, bulk: true) }
                #expect(try await eventually(timeout: .seconds(10)) { try await pool.clientSessions(where: "wait_event = 'relation'") == 1 },
                        "the bulk import, holding the tasks, waits for the units")
                let tasks = try await connection.query("SELECT count(*) FROM rectify_tasks")[0].decode(Int.self, at: 0)
                return (tasks, load)
            }
            #expect(tasks == 1)
            #expect(try await load.value.arrays.first { $0.name == "units" }?.counts.updated == 1)
        }
    }

    @Test("a file may refer to records imported before; the database refuses what the reader would")
    func referencesAndConstraints() async throws {
        let database = try await TestDatabase.fresh("ledgerrefs")
        try await database.withPool { pool in
            _ = try await importFile(ledgerFile, pool)
            let onlyTask = #"""
                {"format": "rectify-ledger/1", "tasks": [{"id": "CEI2-HE-002", "round": "CEI2-HE", "title": "Water",
                 "category": "water", "region": "130100", "lead_unit": "U-130100-EEB", "deadline": "2024-06-30",
                 "status": "not_started", "progress": 0, "closed_on": null}]}
                """#
            #expect(try await importFile(onlyTask, pool).arrays.first { $0.name == "tasks" }?.counts.inserted == 1)
            let error = try await #require(throws: PostgresError.self) {
                try await pool.query("UPDATE rectify_tasks SET status = 'closed' WHERE id = 'CEI2-HE-002'")
            }
            #expect(error.sqlState == .checkViolation, "closed needs closed_on in the database too")
        }
    }
}
