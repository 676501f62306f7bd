public import Foundation

/// A small valid ledger file (3 regions, 2 units, 1 round, 2 tasks, 1 petition, 1 case); each
/// bad-input test breaks one thing in it.
public enum SampleLedger {
    /// The file as JSON, after `edit`.
    public static func json(_ edit: (inout [String: Any]) -> Void = { _ in }) -> Data {
        var file: [String: Any] = [
            "format": "rectify-ledger/1",
            "regions": [
                ["code": "130000", "name": "Hebei", "level": "province", "parent": NSNull()],
                ["code": "130100", "name": "Shijiazhuang", "level": "city", "parent": "130000"],
                ["code": "130102", "name": "Chang'an District", "level": "county", "parent": "130100"],
            ],
            "units": [
                ["id": "U-130100-GOV", "name": "Shijiazhuang Municipal Government", "region": "130100", "kind": "government"],
                ["id": "U-130102-GOV", "name": "Chang'an District Government", "region": "130102", "kind": "government"],
            ],
            "rounds": [[
                "id": "CEI2-HE", "name": "Second round central inspection, Hebei", "group": "Central No. 1 Supervision Group",
                "region": "130000", "inspected_from": "2022-03-23", "inspected_to": "2022-04-23", "feedback_on": "2022-06-01",
            ]],
            "tasks": [
                ["id": "CEI2-HE-001", "round": "CEI2-HE", "title": "Close dust sources", "category": "air", "region": "130100",
                 "lead_unit": "U-130100-GOV", "deadline": "2023-12-31", "status": "in_progress", "progress": 40, "closed_on": NSNull()],
                ["id": "CEI2-HE-002", "round": "CEI2-HE", "title": "Sewage outfalls", "category": "water", "region": "130102",
                 "lead_unit": "U-130102-GOV", "deadline": "2023-06-30", "status": "closed", "progress": 100, "closed_on": "2023-07-15"],
            ],
            "petitions": [[
                "id": "CEI2-HE-P0001", "round": "CEI2-HE", "region": "130102", "received_on": "2022-04-02",
                "category": "air", "status": "closed_in_stages", "closed_on": "2022-07-15",
            ]],
            "accountability": [[
                "id": "CEI2-HE-A01", "round": "CEI2-HE", "region": "130000", "source": "transferred_by_inspection",
                "opened_on": "2022-06-10", "concluded_on": "2023-03-01", "units": ["U-130100-GOV"],
                "persons": [["name": "Zhang San", "position": "Deputy Director", "rank": "division", "sanction": "government_sanction"]],
            ]],
        ]
        edit(&file)
        return try! JSONSerialization.data(withJSONObject: file, options: [.sortedKeys])
    }

    /// A bad input and the one-line error it must produce.
    public struct Refusal: Sendable, CustomStringConvertible {
        public var edit: LedgerEdit
        public var error: String
        /// True when the rule spans records (ids, references), so only an import can check it.
        public var acrossRecords: Bool

        public var description: String { edit.description }
    }

    /// Every kind of bad record, each with the error that names it.
    public static let refusals: [Refusal] = [
        record(LedgerEdit("tasks", 0, "deadline", .text("2023-02-30")), #"tasks[0] (id CEI2-HE-001).deadline: "2023-02-30" is not a date"#),
        record(LedgerEdit("tasks", 1, "closed_on", .null), #"tasks[1] (id CEI2-HE-002).closed_on: is required when status is "closed""#),
        record(LedgerEdit("tasks", 0, "progress", .number(140)), "tasks[0] (id CEI2-HE-001).progress: 140 is outside 0–100"),
        record(LedgerEdit("tasks", 0, "progress", .flag(true)), "tasks[0] (id CEI2-HE-001).progress: must be a whole number"),
        record(LedgerEdit("tasks", 0, "status", .text("done")),
               #"tasks[0] (id CEI2-HE-001).status: "done" is not one of "not_started", "in_progress", "pending_acceptance", "accepted", "closed""#),
        record(LedgerEdit("tasks", 0, "owner", .text("x")), #"tasks[0] (id CEI2-HE-001): unknown key "owner""#),
        record(LedgerEdit("regions", 0, "code", .text("13000")), #"regions[0] (id 13000).code: "13000" is not a 6-digit region code"#),
        record(LedgerEdit("petitions", 0, "closed_on", .null),
               #"petitions[0] (id CEI2-HE-P0001).closed_on: is required when status is "closed_in_stages""#),
        record(LedgerEdit("petitions", 0, "status", .text("open")),
               #"petitions[0] (id CEI2-HE-P0001).closed_on: must be null while status is "open""#),
        record(LedgerEdit("petitions", 0, "closed_on", .text("2022-03-01")),
               "petitions[0] (id CEI2-HE-P0001).closed_on: 2022-03-01 is before received_on 2022-04-02"),
        record(LedgerEdit("accountability", 0, "concluded_on", .text("2022-05-01")),
               "accountability[0] (id CEI2-HE-A01).concluded_on: 2022-05-01 is before opened_on 2022-06-10"),
        record(LedgerEdit("rounds", 0, "inspected_to", .text("2022-03-01")),
               "rounds[0] (id CEI2-HE).inspected_to: 2022-03-01 is before inspected_from 2022-03-23"),
        across(LedgerEdit("tasks", 0, "lead_unit", .text("U-999999-GOV")),
               #"tasks[0] (id CEI2-HE-001).lead_unit: "U-999999-GOV" names no unit in this file or in the database"#),
        across(LedgerEdit("tasks", 1, "id", .text("CEI2-HE-001")), "tasks[1] (id CEI2-HE-001): duplicates the id of tasks[0]"),
        across(LedgerEdit("regions", 2, "parent", .text("130000")),
               "regions[2] (id 130102).parent: a county's parent must be a city, but 130000 is a province"),
        across(LedgerEdit("regions", 2, "code", .text("130202")),
               #"regions[2] (id 130202).code: "130202" does not begin with 1301, the first four digits of its city 130100"#),
        across(LedgerEdit("rounds", 0, "region", .text("130100")),
               "rounds[0] (id CEI2-HE).region: 130100 is a city; a round's region must be a province"),
        across(LedgerEdit("accountability", 0, "units", .texts(["U-130100-GOV", "U-NOPE"])),
               #"accountability[0] (id CEI2-HE-A01).units[1]: "U-NOPE" names no unit in this file or in the database"#),
    ]

    private static func record(_ edit: LedgerEdit, _ error: String) -> Refusal { Refusal(edit: edit, error: error, acrossRecords: false) }
    private static func across(_ edit: LedgerEdit, _ error: String) -> Refusal { Refusal(edit: edit, error: error, acrossRecords: true) }
}

/// One field of one record changed: the bad input a test feeds in.
public struct LedgerEdit: Sendable, CustomStringConvertible {
    /// A JSON value to put in the field.
    public enum Value: Sendable {
        case text(String), number(Int), flag(Bool), null, texts([String])
        var json: Any {
            switch self {
            case .text(let text): text
            case .number(let number): number
            case .flag(let flag): flag
            case .null: NSNull()
            case .texts(let texts): texts
            }
        }
    }

    public var array: String
    public var index: Int
    public var field: String
    public var value: Value

    /// Sets `array[index].field` to `value`.
    public init(_ array: String, _ index: Int, _ field: String, _ value: Value) {
        self.array = array
        self.index = index
        self.field = field
        self.value = value
    }

    /// Makes the change in a parsed file.
    public func apply(to file: inout [String: Any]) {
        var records = file[array] as! [[String: Any]]
        records[index][field] = value.json
        file[array] = records
    }

    public var description: String { "\(array)[\(index)].\(field)" }
}
