import Foundation
import RectifyDomain
import Testing

/// A small valid ledger; each test breaks one thing in it.
private func ledgerJSON(_ edit: (inout [String: Any]) -> Void = { _ in }) -> Data {
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

/// One field of one record changed: the bad input a test feeds in.
struct Edit: Sendable, CustomStringConvertible {
    enum Value: Sendable {
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

    var array: String
    var index: Int
    var field: String
    var value: Value

    func apply(to file: inout [String: Any]) {
        var records = file[array] as! [[String: Any]]
        records[index][field] = value.json
        file[array] = records
    }

    var description: String { "\(array)[\(index)].\(field)" }
}

private func set(_ array: String, _ index: Int, _ field: String, _ value: Edit.Value) -> Edit {
    Edit(array: array, index: index, field: field, value: value)
}

@Suite("Reading the ledger interchange file")
struct LedgerReaderTests {
    @Test("a valid file reads into typed records")
    func validFile() throws {
        let ledger = try LedgerReader.read(ledgerJSON())
        #expect(ledger.recordCount == 10)
        #expect(ledger.tasks[1].status == .closed)
        #expect(ledger.tasks[1].closedOn == Day("2023-07-15"))
        #expect(ledger.accountability[0].persons[0].rank == .division)
        #expect(ledger.regions[0].parent == nil)
        let zero = try LedgerReader.read(ledgerJSON(set("tasks", 0, "progress", .number(0)).apply))
        #expect(zero.tasks[0].progress == 0, "0 and 1 are numbers, not booleans")
    }

    @Test("each invalid record is refused with array, index, id and field", arguments: [
        (set("tasks", 0, "deadline", .text("2023-02-30")), #"tasks[0] (id CEI2-HE-001).deadline: "2023-02-30" is not a date"#),
        (set("tasks", 1, "closed_on", .null), #"tasks[1] (id CEI2-HE-002).closed_on: is required when status is "closed""#),
        (set("tasks", 0, "progress", .number(140)), "tasks[0] (id CEI2-HE-001).progress: 140 is outside 0–100"),
        (set("tasks", 0, "progress", .flag(true)), "tasks[0] (id CEI2-HE-001).progress: must be a whole number"),
        (set("tasks", 0, "status", .text("done")), #"tasks[0] (id CEI2-HE-001).status: "done" is not one of "not_started", "in_progress", "pending_acceptance", "accepted", "closed""#),
        (set("tasks", 0, "lead_unit", .text("U-999999-GOV")), #"tasks[0] (id CEI2-HE-001).lead_unit: "U-999999-GOV" names no unit in this file or in the database"#),
        (set("tasks", 0, "owner", .text("x")), #"tasks[0] (id CEI2-HE-001): unknown key "owner""#),
        (set("tasks", 1, "id", .text("CEI2-HE-001")), "tasks[1] (id CEI2-HE-001): duplicates the id of tasks[0]"),
        (set("regions", 2, "parent", .text("130000")), "regions[2] (id 130102).parent: a county's parent must be a city, but 130000 is a province"),
        (set("regions", 0, "code", .text("13000")), #"regions[0] (id 13000).code: "13000" is not a 6-digit region code"#),
        (set("petitions", 0, "closed_on", .null), #"petitions[0] (id CEI2-HE-P0001).closed_on: is required when status is "closed_in_stages""#),
        (set("accountability", 0, "units", .texts(["U-130100-GOV", "U-NOPE"])), #"accountability[0] (id CEI2-HE-A01).units[1]: "U-NOPE" names no unit in this file or in the database"#),
        (set("rounds", 0, "inspected_to", .text("2022-03-01")), "rounds[0] (id CEI2-HE).inspected_to: 2022-03-01 is before inspected_from 2022-03-23"),
    ])
    func invalidRecords(edit: Edit, expected: String) {
        let error = #expect(throws: LedgerError.self) { try LedgerReader.read(ledgerJSON(edit.apply)) }
        #expect(error?.description == expected)
    }

    @Test("whole-file problems: invalid UTF-8, truncated JSON, unknown top-level keys, another format")
    func fileProblems() {
        var invalidUTF8 = ledgerJSON()
        invalidUTF8.insert(0xFF, at: 20)
        #expect(throws: LedgerError(location: "the file", message: "is not valid UTF-8")) { try LedgerReader.read(invalidUTF8) }

        let truncated = ledgerJSON().prefix(200)
        let error = #expect(throws: LedgerError.self) { try LedgerReader.read(Data(truncated)) }
        #expect(error?.description.hasPrefix("the file: is not valid JSON") == true)

        #expect(throws: LedgerError(location: "the file", message: #"unknown key "taskz""#)) {
            try LedgerReader.read(ledgerJSON { $0["taskz"] = [] })
        }
        #expect(throws: LedgerError(location: "format", message: #""rectify-ledger/2" is not supported (expected "rectify-ledger/1")"#)) {
            try LedgerReader.read(ledgerJSON { $0["format"] = "rectify-ledger/2" })
        }
    }

    @Test("references may name records already in the database")
    func knownRecords() throws {
        let onlyTasks = ledgerJSON { file in
            for array in ["regions", "units", "rounds", "petitions", "accountability"] { file[array] = [] }
        }
        #expect(throws: LedgerError.self) { try LedgerReader.read(onlyTasks) }
        let known = KnownRecords(
            regionLevels: ["130000": .province, "130100": .city, "130102": .county],
            units: ["U-130100-GOV", "U-130102-GOV"], rounds: ["CEI2-HE"])
        #expect(try LedgerReader.read(onlyTasks, known: known).tasks.count == 2)
    }
}
