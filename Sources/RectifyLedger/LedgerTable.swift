import RectifyDomain

/// How one ledger array maps to its table: the key, the columns, and each record's values
/// in PostgreSQL's text form, ready for COPY.
struct LedgerTable<Record>: Sendable {
    /// The array of the ledger file whose records fill the table.
    let array: String
    /// The table name.
    let name: String
    /// The primary key's columns.
    let key: [String]
    /// Every column, key included, in the order `values` returns them.
    let columns: [String]
    /// The record's column values.
    let values: @Sendable (Record) -> [String?]
    /// For child tables: the parent key column, so rows of a parent that the file no longer
    /// lists are removed. `nil` for top-level tables.
    var parentKey: String? = nil

    var nonKeyColumns: [String] { columns.filter { !key.contains($0) } }
}

/// The tables of the ledger, in the order references require.
enum LedgerTables {
    /// Each array of the file and the tables its records fill, in the order references require.
    static let byArray = [
        ArrayTables(regions), ArrayTables(units), ArrayTables(rounds), ArrayTables(tasks), ArrayTables(petitions),
        ArrayTables(cases, children: [caseUnits.name, casePersons.name]),
    ]
    /// The tables with one row per record of a file's array, in the order references require.
    static let topLevel = byArray.map(\.table)
    /// The tables with one row per unit or person an accountability case holds.
    static let children = byArray.flatMap(\.children)
    /// Every table of the ledger.
    static let all = topLevel + children

    /// The tables filled from `array`.
    static func tables(of array: String) -> ArrayTables { byArray.first { $0.array == array }! }

    static let regions = LedgerTable<Region>(
        array: "regions", name: "rectify_regions", key: ["code"], columns: ["code", "name", "level", "parent"],
        values: { [$0.code, $0.name, $0.level.rawValue, $0.parent] })

    static let units = LedgerTable<ResponsibleUnit>(
        array: "units", name: "rectify_units", key: ["id"], columns: ["id", "name", "region", "kind"],
        values: { [$0.id, $0.name, $0.region, $0.kind.rawValue] })

    static let rounds = LedgerTable<InspectionRound>(
        array: "rounds", name: "rectify_rounds", key: ["id"],
        columns: ["id", "name", "inspection_group", "region", "inspected_from", "inspected_to", "feedback_on"],
        values: { [$0.id, $0.name, $0.group, $0.region, "\($0.inspectedFrom)", "\($0.inspectedTo)", "\($0.feedbackOn)"] })

    static let tasks = LedgerTable<RectificationTask>(
        array: "tasks", name: "rectify_tasks", key: ["id"],
        columns: ["id", "round", "title", "category", "region", "lead_unit", "deadline", "status", "progress", "closed_on"],
        values: {
            [$0.id, $0.round, $0.title, $0.category.rawValue, $0.region, $0.leadUnit, "\($0.deadline)", $0.status.rawValue,
             String($0.progress), $0.closedOn.map { "\($0)" }]
        })

    static let petitions = LedgerTable<Petition>(
        array: "petitions", name: "rectify_petitions", key: ["id"],
        columns: ["id", "round", "region", "received_on", "category", "status", "closed_on"],
        values: {
            [$0.id, $0.round, $0.region, "\($0.receivedOn)", $0.category.rawValue, $0.status.rawValue, $0.closedOn.map { "\($0)" }]
        })

    static let cases = LedgerTable<AccountabilityCase>(
        array: "accountability", name: "rectify_accountability_cases", key: ["id"],
        columns: ["id", "round", "region", "source", "opened_on", "concluded_on"],
        values: { [$0.id, $0.round, $0.region, $0.source.rawValue, "\($0.openedOn)", $0.concludedOn.map { "\($0)" }] })

    /// One row per (case, named unit).
    static let caseUnits = LedgerTable<(caseID: String, ordinal: Int, unit: String)>(
        array: "accountability", name: "rectify_accountability_units", key: ["case_id", "ordinal"], columns: ["case_id", "ordinal", "unit"],
        values: { [$0.caseID, String($0.ordinal), $0.unit] }, parentKey: "case_id")

    /// One row per (case, person held).
    static let casePersons = LedgerTable<(caseID: String, ordinal: Int, person: HeldPerson)>(
        array: "accountability", name: "rectify_accountability_persons", key: ["case_id", "ordinal"],
        columns: ["case_id", "ordinal", "name", "position", "rank", "sanction"],
        values: { [$0.caseID, String($0.ordinal), $0.person.name, $0.person.position, $0.person.rank.rawValue, $0.person.sanction.rawValue] },
        parentKey: "case_id")
}

/// One array of the file and its tables, by name: what staging, checks and analysis need
/// without the record type.
struct ArrayTables: Sendable {
    /// The array in the file.
    let array: String
    /// The table with one row per record.
    let table: String
    /// The record's id column.
    let key: String
    /// Tables filled from the same records (an accountability case's units and persons).
    let children: [String]

    /// Every table the array fills.
    var all: [String] { [table] + children }

    init<Record>(_ table: LedgerTable<Record>, children: [String] = []) {
        self.array = table.array
        self.table = table.name
        self.key = table.key[0]
        self.children = children
    }
}
