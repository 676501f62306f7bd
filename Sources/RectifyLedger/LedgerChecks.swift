import RectifyDomain
import RectifyPostgres

/// The rules of a ledger file that span records, checked set-based on the staged file before
/// anything is written: ids are unique within each array, every reference names a record in
/// the file or already in the database, regions nest province → city → county with codes to
/// match (a city shares its province's first two digits, a county its city's first four), and
/// a round's region is a province.
///
/// The first broken rule is raised as a ``LedgerError`` in the same form as the reader's:
/// array, index, id and field.
enum LedgerChecks {
    /// A column that names a record of another table.
    private struct Reference {
        let table: String
        let column: String
        let target: String
        let targetKey: String
        let kind: String

        static func region(_ table: String, _ column: String = "region") -> Reference {
            Reference(table: table, column: column, target: LedgerTables.regions.name, targetKey: "code", kind: "region")
        }
        static func round(_ table: String) -> Reference {
            Reference(table: table, column: "round", target: LedgerTables.rounds.name, targetKey: "id", kind: "round")
        }
        static func unit(_ table: String, _ column: String) -> Reference {
            Reference(table: table, column: column, target: LedgerTables.units.name, targetKey: "id", kind: "unit")
        }
    }

    private static let references: [String: [Reference]] = [
        "regions": [.region(LedgerTables.regions.name, "parent")],
        "units": [.region(LedgerTables.units.name)],
        "rounds": [.region(LedgerTables.rounds.name)],
        "tasks": [.round(LedgerTables.tasks.name), .region(LedgerTables.tasks.name), .unit(LedgerTables.tasks.name, "lead_unit")],
        "petitions": [.round(LedgerTables.petitions.name), .region(LedgerTables.petitions.name)],
        "accountability": [.round(LedgerTables.cases.name), .region(LedgerTables.cases.name)],
    ]

    /// Runs every check on the staged file; throws the first problem found, array by array.
    static func run(on connection: isolated PostgresConnection) async throws {
        for entry in LedgerTables.byArray {
            try await uniqueIDs(entry.array, entry.table, key: entry.key, on: connection)
            for reference in references[entry.array]! {
                try await resolves(entry.array, reference, key: entry.key, on: connection)
            }
            if entry.array == "regions" {
                try await regionsNest(on: connection)
                try await codesNest(on: connection)
            }
            if entry.array == "rounds" { try await roundsInProvinces(on: connection) }
            if entry.array == "accountability" { try await heldUnitsResolve(on: connection) }
        }
    }

    private static func uniqueIDs(_ array: String, _ table: String, key: String, on connection: isolated PostgresConnection) async throws {
        let staged = LedgerStaging.staged(table)
        let rows = try await connection.query("""
            SELECT s.file_index, s.\(unescaped: key), d.first
            FROM (SELECT \(unescaped: key) AS key, min(file_index) AS first FROM \(unescaped: staged)
                  GROUP BY \(unescaped: key) HAVING count(*) > 1) AS d
            JOIN \(unescaped: staged) AS s ON s.\(unescaped: key) = d.key AND s.file_index > d.first
            ORDER BY s.file_index LIMIT 1
            """)
        guard let row = rows.first else { return }
        let (index, id, first) = try row.decode((Int, String, Int).self)
        throw LedgerError(location: "\(array)[\(index)] (id \(id))", message: "duplicates the id of \(array)[\(first)]")
    }

    private static func resolves(
        _ array: String, _ reference: Reference, key: String, on connection: isolated PostgresConnection
    ) async throws {
        let rows = try await connection.query("""
            SELECT s.file_index, s.\(unescaped: key), s.\(unescaped: reference.column)
            FROM \(unescaped: LedgerStaging.staged(reference.table)) AS s
            WHERE s.\(unescaped: reference.column) IS NOT NULL
              AND NOT EXISTS (SELECT FROM \(unescaped: LedgerStaging.staged(reference.target)) AS t
                              WHERE t.\(unescaped: reference.targetKey) = s.\(unescaped: reference.column))
              AND NOT EXISTS (SELECT FROM \(unescaped: reference.target) AS t
                              WHERE t.\(unescaped: reference.targetKey) = s.\(unescaped: reference.column))
            ORDER BY s.file_index LIMIT 1
            """)
        guard let row = rows.first else { return }
        let (index, id, value) = try row.decode((Int, String, String).self)
        throw unresolved(array, index, id, reference.column, value, reference.kind)
    }

    /// Every unit an accountability case holds names a unit.
    private static func heldUnitsResolve(on connection: isolated PostgresConnection) async throws {
        let rows = try await connection.query("""
            SELECT c.file_index, c.id, u.ordinal, u.unit
            FROM \(unescaped: LedgerStaging.staged(LedgerTables.caseUnits.name)) AS u
            JOIN \(unescaped: LedgerStaging.staged(LedgerTables.cases.name)) AS c ON c.id = u.case_id
            WHERE NOT EXISTS (SELECT FROM \(unescaped: LedgerStaging.staged(LedgerTables.units.name)) AS t WHERE t.id = u.unit)
              AND NOT EXISTS (SELECT FROM \(unescaped: LedgerTables.units.name) AS t WHERE t.id = u.unit)
            ORDER BY c.file_index, u.ordinal LIMIT 1
            """)
        guard let row = rows.first else { return }
        let (index, id, ordinal, unit) = try row.decode((Int, String, Int, String).self)
        throw unresolved("accountability", index, id, "units[\(ordinal)]", unit, "unit")
    }

    /// A city's parent is a province and a county's a city, by the levels in the file or, for
    /// regions the file does not list, in the database.
    private static func regionsNest(on connection: isolated PostgresConnection) async throws {
        let staged = LedgerStaging.staged(LedgerTables.regions.name)
        let rows = try await connection.query("""
            WITH levels AS (
                SELECT code, level FROM \(unescaped: staged)
                UNION ALL
                SELECT code, level FROM rectify_regions AS r WHERE NOT EXISTS (SELECT FROM \(unescaped: staged) AS s WHERE s.code = r.code))
            SELECT s.file_index, s.code, s.level, s.parent, p.level
            FROM \(unescaped: staged) AS s JOIN levels AS p ON p.code = s.parent
            WHERE p.level <> CASE s.level WHEN 'city' THEN 'province' ELSE 'city' END
            ORDER BY s.file_index LIMIT 1
            """)
        guard let row = rows.first else { return }
        let (index, code, level, parent, parentLevel) = try row.decode((Int, String, String, String, String).self)
        let expected = level == "city" ? "province" : "city"
        throw LedgerError(
            location: "regions[\(index)] (id \(code)).parent",
            message: "a \(level)'s parent must be a \(expected), but \(parent) is a \(parentLevel)")
    }

    /// The regions of the file and, for those it does not list, of the database.
    private static let allRegions = """
        SELECT code, level FROM \(LedgerStaging.staged(LedgerTables.regions.name))
        UNION ALL
        SELECT code, level FROM rectify_regions AS r
        WHERE NOT EXISTS (SELECT FROM \(LedgerStaging.staged(LedgerTables.regions.name)) AS s WHERE s.code = r.code)
        """

    /// A city's code begins with its province's first two digits, a county's with its city's first four.
    private static func codesNest(on connection: isolated PostgresConnection) async throws {
        let rows = try await connection.query("""
            WITH levels AS (\(unescaped: allRegions))
            SELECT s.file_index, s.code, s.level, s.parent
            FROM \(unescaped: LedgerStaging.staged(LedgerTables.regions.name)) AS s JOIN levels AS p ON p.code = s.parent
            WHERE left(s.code, CASE s.level WHEN 'city' THEN 2 ELSE 4 END) <> left(s.parent, CASE s.level WHEN 'city' THEN 2 ELSE 4 END)
            ORDER BY s.file_index LIMIT 1
            """)
        guard let row = rows.first else { return }
        let (index, code, level, parent) = try row.decode((Int, String, String, String).self)
        let (digits, above) = level == "city" ? (2, "province") : (4, "city")
        throw LedgerError(
            location: "regions[\(index)] (id \(code)).code",
            message: "\"\(code)\" does not begin with \(parent.prefix(digits)), the first \(digits == 2 ? "two" : "four") digits of its \(above) \(parent)")
    }

    /// A round's region is a province.
    private static func roundsInProvinces(on connection: isolated PostgresConnection) async throws {
        let rows = try await connection.query("""
            WITH levels AS (\(unescaped: allRegions))
            SELECT s.file_index, s.id, s.region, r.level
            FROM \(unescaped: LedgerStaging.staged(LedgerTables.rounds.name)) AS s JOIN levels AS r ON r.code = s.region
            WHERE r.level <> 'province'
            ORDER BY s.file_index LIMIT 1
            """)
        guard let row = rows.first else { return }
        let (index, id, region, level) = try row.decode((Int, String, String, String).self)
        throw LedgerError(
            location: "rounds[\(index)] (id \(id)).region", message: "\(region) is a \(level); a round's region must be a province")
    }

    private static func unresolved(_ array: String, _ index: Int, _ id: String, _ field: String, _ value: String, _ kind: String) -> LedgerError {
        LedgerError(location: "\(array)[\(index)] (id \(id)).\(field)", message: "\"\(value)\" names no \(kind) in this file or in the database")
    }
}
