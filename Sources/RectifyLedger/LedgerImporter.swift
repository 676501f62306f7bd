public import Logging
public import RectifyDomain
public import RectifyPostgres
import Foundation

/// What an import changed, per array.
public struct ImportSummary: Sendable, Hashable {
    /// Counts for one array.
    public struct Counts: Sendable, Hashable {
        public var inserted = 0
        public var updated = 0
        public var unchanged = 0

        /// Creates counts.
        public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0) {
            self.inserted = inserted
            self.updated = updated
            self.unchanged = unchanged
        }
    }

    /// Counts by array name (`regions`, `units`, `rounds`, `tasks`, `petitions`, `accountability`).
    public var arrays: [(name: String, counts: Counts)] = []

    public static func == (lhs: ImportSummary, rhs: ImportSummary) -> Bool {
        lhs.arrays.map(\.name) == rhs.arrays.map(\.name) && lhs.arrays.map(\.counts) == rhs.arrays.map(\.counts)
    }

    public func hash(into hasher: inout Hasher) {
        for (name, counts) in arrays {
            hasher.combine(name)
            hasher.combine(counts)
        }
    }

    /// True when the import changed nothing.
    public var changedNothing: Bool { arrays.allSatisfy { $0.counts.inserted == 0 && $0.counts.updated == 0 } }
}

/// How far an import has got, for a progress display.
public enum ImportProgress: Sendable {
    /// Reading and staging the file: records so far, bytes read and the file's size.
    case reading(records: Int, bytesRead: Int, totalBytes: Int?)
    /// Checking ids and references across the staged file.
    case checking
    /// Merging one array into the ledger.
    case merging(array: String)
}

/// Loads a ledger into the database in one transaction, all of it or, on any error, none of it.
///
/// Records stream from the reader into staging tables with COPY, the rules across records run
/// set-based on the staged file, and each array is merged by id. A record whose values did not
/// change is not rewritten, so importing the same file twice changes nothing the second time.
///
/// Every task whose status, progress or deadline the import overwrites gets an entry in its
/// history (``TaskHistory``, source `import`) naming the file and its SHA-256, so a re-import
/// that undoes an office's reported progress leaves a trace.
///
/// Imports run one at a time. Once the file is staged, the import locks the ledger's tables
/// against other writers until it commits; readers go on. A file of ``bulkFromBytes`` or more
/// is loaded in bulk, the way a restore loads: the ledger's foreign keys are dropped for the
/// transaction and validated once at the end, and the tables are locked against readers too.
public struct LedgerImporter: Sendable {
    private let pool: PostgresPool
    private let logger: Logger
    /// Files at least this large are loaded in bulk.
    public var bulkFromBytes = 16 << 20
    /// Records per batch read from a file.
    public var batchSize = 10_000

    /// Creates an importer on a pool.
    public init(pool: PostgresPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    /// Imports the file at `path`. The file is parsed on a thread of its own, a batch or two
    /// ahead of the connection copying batches to the database.
    ///
    /// - Throws: ``LedgerError`` naming the first problem; nothing is written then.
    public func importFile(
        at path: String, progress: @escaping @Sendable (ImportProgress) -> Void = { _ in }
    ) async throws -> ImportSummary {
        let (bulkFromBytes, batchSize) = (self.bulkFromBytes, self.batchSize)
        let summary = try await pool.transaction { connection in
            let digest = FileDigest()
            let reader = try LedgerReader(contentsOf: path) { digest.update($0) }
            let readAhead = ReadAhead(reader, batchSize: batchSize) { records, bytesRead, totalBytes in
                progress(.reading(records: records, bytesRead: bytesRead, totalBytes: totalBytes))
            }
            defer { readAhead.stop() }
            // The digest is read once every batch has been taken, so after the whole file.
            let source = ImportSource(name: URL(fileURLWithPath: path).lastPathComponent) { digest.hex }
            // A pipe's size is known only once it has been read, as is every file's when staged.
            return try await Self.load(
                from: { try readAhead.next() }, source: source, bulk: { digest.byteCount >= bulkFromBytes }, progress: progress,
                on: connection)
        }
        log(summary, from: path)
        return summary
    }

    /// Imports a ledger held in memory (the demo province, tests); the history of the tasks it
    /// changes names it `source`.
    ///
    /// - Throws: ``LedgerError`` naming the first problem; nothing is written then.
    public func importLedger(_ ledger: Ledger, source: String = "ledger in memory") async throws -> ImportSummary {
        let summary = try await pool.transaction { connection in
            var batches = ledger.batches.makeIterator()
            return try await Self.load(
                from: { batches.next() }, source: ImportSource(name: source, digest: { nil }), bulk: { false }, progress: { _ in },
                on: connection)
        }
        log(summary, from: "memory")
        return summary
    }

    private func log(_ summary: ImportSummary, from source: String) {
        logger.debug("ledger imported", metadata: [
            "source": "\(source)",
            "inserted": "\(summary.arrays.reduce(0) { $0 + $1.counts.inserted })",
            "updated": "\(summary.arrays.reduce(0) { $0 + $1.counts.updated })",
            "unchanged": "\(summary.arrays.reduce(0) { $0 + $1.counts.unchanged })",
        ])
    }

    /// Stages every batch `next` returns, checks the rules across records and merges; `bulk`,
    /// asked once everything is staged, says whether to load in bulk.
    private static func load(
        from next: () throws -> LedgerBatch?, source: ImportSource, bulk: () -> Bool, progress: (ImportProgress) -> Void,
        on connection: isolated PostgresConnection
    ) async throws -> ImportSummary {
        // One import at a time, from its first statement: staging reads the ledger tables'
        // definitions (ACCESS SHARE until commit), which a bulk import's lock would wait for.
        try await connection.query("SELECT pg_advisory_xact_lock(hashtext('rectify.import'))")
        // Room to sort a large file's rows into key order in memory before merging them.
        try await connection.execute(script: "SET LOCAL work_mem = '128MB'")
        var staging = try await LedgerStaging.create(on: connection)
        while let batch = try next() {
            try await staging.stage(batch, on: connection)
        }
        try await connection.execute(script: LedgerTables.all.map {
            "ANALYZE \(LedgerStaging.staged($0));"
        }.joined(separator: "\n"))
        let bulk = bulk()
        try await lockLedger(bulk: bulk, on: connection)
        let foreignKeys = bulk ? try await BulkForeignKeys.drop(on: connection) : nil
        progress(.checking)
        try await LedgerChecks.run(on: connection)
        let overwritten = staging.count(of: "tasks") > 0 ? try await source.taskChanges(on: connection) : []
        var merged = MergedCounts()
        for array in LedgerReader.arrays where staging.count(of: array) > 0 {
            progress(.merging(array: array))
            try await merged.merge(array, on: connection)
        }
        try await foreignKeys?.restore(on: connection)
        try await TaskHistory.record(overwritten, on: connection)
        let summary = merged.summary(staged: staging)
        // Fresh statistics, so the report queries plan well on the new data at once.
        for (array, counts) in summary.arrays where counts.inserted + counts.updated > 0 {
            try await connection.execute(script: LedgerTables.tables(of: array).all.map { "ANALYZE \($0);" }.joined())
        }
        return summary
    }

    /// Locks every ledger table until the import commits, the tasks table first, so that the
    /// checks, the history and the merges see the rows they write: against other writers
    /// (SHARE ROW EXCLUSIVE; readers go on), or for a bulk import against readers too (ACCESS
    /// EXCLUSIVE, so that dropping its foreign keys needs no stronger lock later).
    ///
    /// A task's change (a submission's job, a decision, the end of a public notice, an
    /// extension) takes the tasks table before it locks a task (`TaskState.lockingTasks`). So a
    /// change either waits here for the whole import, or the import waits for the change to
    /// commit; a change cannot hold a task that the import's merge is about to update while it
    /// waits for the import.
    ///
    /// Readers take the tables one statement at a time, so a reader's transaction (a report
    /// job's snapshot, say) may hold one table and then ask for another that a bulk import has
    /// already locked while the import waits for the first. A bulk import gives way to it: it
    /// waits for each table at most twice the server's `deadlock_timeout`, so that it either
    /// finds such a deadlock itself, at its own check after one `deadlock_timeout`, and is the
    /// one refused, or stops waiting before the reader's check would find it. Either way it
    /// lets go of what it took and tries again a moment later, for up to two minutes. Waiting a
    /// whole `deadlock_timeout` also lets the server cancel an autovacuum in its way.
    private static func lockLedger(bulk: Bool, on connection: isolated PostgresConnection) async throws {
        let tables = ([LedgerTables.tasks.name] + LedgerTables.all.filter { $0 != LedgerTables.tasks.name }).joined(separator: ", ")
        guard bulk else {
            try await connection.execute(script: "LOCK TABLE \(tables) IN SHARE ROW EXCLUSIVE MODE")
            return
        }
        let giveUp = ContinuousClock.now + .seconds(120)
        var pause = Duration.milliseconds(50)
        while true {
            do {
                try await connection.execute(script: """
                    SAVEPOINT rectify_ledger_lock;
                    SELECT set_config('lock_timeout',
                                      (2000 * extract(epoch FROM current_setting('deadlock_timeout')::interval))::int::text, true);
                    LOCK TABLE \(tables) IN ACCESS EXCLUSIVE MODE;
                    RESET lock_timeout;
                    RELEASE SAVEPOINT rectify_ledger_lock;
                    """)
                return
            } catch let error as PostgresError where error.sqlState == .lockNotAvailable || error.sqlState == .deadlockDetected {
                try await connection.execute(script: "ROLLBACK TO SAVEPOINT rectify_ledger_lock; RELEASE SAVEPOINT rectify_ledger_lock")
                guard ContinuousClock.now < giveUp else {
                    throw LedgerError(
                        location: LedgerError.wholeFile,
                        message: "could not be loaded: other transactions held the ledger's tables for two minutes")
                }
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(1))
            }
        }
    }
}

/// Rows inserted and updated per array, added up over the merges of an import.
private struct MergedCounts {
    private var counts: [String: (inserted: Int, updated: Int)] = [:]
    /// Accountability cases counted by id: a case is updated when its row or any of its units
    /// or persons changed, and may be touched by several statements.
    private var casesInserted: Set<String> = []
    private var casesChanged: Set<String> = []

    /// Merges the staged rows of `array` into the ledger.
    mutating func merge(_ array: String, on connection: isolated PostgresConnection) async throws {
        switch array {
        case "regions": try await add(array, LedgerTables.regions, on: connection)
        case "units": try await add(array, LedgerTables.units, on: connection)
        case "rounds": try await add(array, LedgerTables.rounds, on: connection)
        case "tasks": try await add(array, LedgerTables.tasks, on: connection)
        case "petitions": try await add(array, LedgerTables.petitions, on: connection)
        default:
            let changes = try await MergeStatements.run(LedgerTables.cases, keys: true, on: connection)
            casesInserted.formUnion(changes.keys.inserted)
            casesChanged.formUnion(changes.keys.updated)
            for child in [LedgerTables.caseUnits, LedgerTables.casePersons] as [any ChildTable] {
                casesChanged.formUnion(try await child.merge(on: connection))
            }
        }
    }

    private mutating func add<Record>(
        _ array: String, _ table: LedgerTable<Record>, on connection: isolated PostgresConnection
    ) async throws {
        let changes = try await MergeStatements.run(table, keys: false, on: connection)
        let sum = counts[array, default: (0, 0)]
        counts[array] = (sum.inserted + changes.inserted, sum.updated + changes.updated)
    }

    /// The summary, with the records staged per array.
    func summary(staged: LedgerStaging) -> ImportSummary {
        var summary = ImportSummary()
        for array in LedgerReader.arrays {
            let total = staged.count(of: array)
            let (inserted, updated) = array == "accountability"
                ? (casesInserted.count, casesChanged.subtracting(casesInserted).count)
                : counts[array, default: (0, 0)]
            summary.arrays.append((array, ImportSummary.Counts(inserted: inserted, updated: updated, unchanged: total - inserted - updated)))
        }
        return summary
    }
}

/// The two statements that merge staged rows into a ledger table.
private enum MergeStatements {
    /// What a merge changed.
    struct Changes {
        var inserted = 0
        var updated = 0
        /// The first key column of the rows inserted and updated, when asked for.
        var keys: (inserted: [String], updated: [String]) = ([], [])
    }

    /// Updates the rows whose values changed, then inserts, in key order, the rows that are new.
    /// Set-based, both run as one join with the staged file, which for a million rows is far
    /// cheaper than a per-row upsert. The import holds the table against other writers
    /// (`LedgerImporter.lockLedger`), so the two statements see the same rows.
    static func run<Record>(
        _ definition: LedgerTable<Record>, keys: Bool, on connection: isolated PostgresConnection
    ) async throws -> Changes {
        let table = definition.name
        let staged = LedgerStaging.staged(table)
        let columns = definition.columns.joined(separator: ", ")
        let sameKey = definition.key.map { "t.\($0) = s.\($0)" }.joined(separator: " AND ")
        let current = definition.nonKeyColumns.map { "t.\($0)" }.joined(separator: ", ")
        let incoming = definition.nonKeyColumns.map { "s.\($0)" }.joined(separator: ", ")
        let assignments = definition.nonKeyColumns.map { "\($0) = s.\($0)" }.joined(separator: ", ")
        // Rows go in key order, which keeps index inserts local; ids are codes, so a byte-order
        // sort gives that order without the cost of the locale's collation.
        let order = (["s.\(definition.key[0]) COLLATE \"C\""] + definition.key.dropFirst().map { "s.\($0)" }).joined(separator: ", ")
        let key = definition.key[0]
        let updated = try await connection.query("""
            UPDATE \(unescaped: table) AS t SET \(unescaped: assignments) FROM \(unescaped: staged) AS s
            WHERE \(unescaped: sameKey) AND (\(unescaped: current)) IS DISTINCT FROM (\(unescaped: incoming))
            \(unescaped: keys ? "RETURNING t.\(key)::text" : "")
            """)
        let inserted = try await connection.query("""
            INSERT INTO \(unescaped: table) (\(unescaped: columns))
            SELECT \(unescaped: columns) FROM \(unescaped: staged) AS s
            WHERE NOT EXISTS (SELECT FROM \(unescaped: table) AS t WHERE \(unescaped: sameKey))
            ORDER BY \(unescaped: order)
            \(unescaped: keys ? "RETURNING \(key)::text" : "")
            """)
        var changes = Changes(inserted: inserted.affectedRows, updated: updated.affectedRows)
        if keys {
            changes.keys = (try inserted.map { try $0.decode(String.self, at: 0) }, try updated.map { try $0.decode(String.self, at: 0) })
        }
        return changes
    }
}

/// The tables of an accountability case's units and persons, merged the same way.
private protocol ChildTable {
    /// Merges the staged rows and removes the rows of staged cases that the file no longer
    /// lists; returns the cases whose rows changed.
    func merge(on connection: isolated PostgresConnection) async throws -> Set<String>
}

extension LedgerTable: ChildTable {
    fileprivate func merge(on connection: isolated PostgresConnection) async throws -> Set<String> {
        let changes = try await MergeStatements.run(self, keys: true, on: connection)
        let removed = try await connection.query("""
            DELETE FROM \(unescaped: name) AS t
            USING \(unescaped: LedgerStaging.staged(LedgerTables.cases.name)) AS c
            WHERE t.case_id = c.id
              AND NOT EXISTS (SELECT FROM \(unescaped: LedgerStaging.staged(name)) AS s WHERE s.case_id = t.case_id AND s.ordinal = t.ordinal)
            RETURNING t.case_id
            """)
        return Set(changes.keys.inserted + changes.keys.updated + (try removed.map { try $0.decode(String.self, at: 0) }))
    }
}
