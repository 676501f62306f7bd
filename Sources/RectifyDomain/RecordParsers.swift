/// One parser per ledger array: the fields SPEC.md defines, their types and enumerations, and
/// the rules that involve only the record itself.
enum RecordParsers {
    static func region(_ fields: FieldReader) throws(LedgerError) -> Region {
        try fields.rejectUnknownKeys(allowed: ["code", "name", "level", "parent"])
        let code = try fields.string("code")
        guard code.utf8.count == 6, code.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw fields.error("code", "\"\(code)\" is not a 6-digit region code")
        }
        let level = try fields.choice("level", RegionLevel.self)
        let parent = try fields.optionalString("parent")
        switch (level, parent) {
        case (.province, .some): throw fields.error("parent", "must be null for a province")
        case (.city, .none), (.county, .none): throw fields.error("parent", "is required for a \(level.rawValue)")
        default: break
        }
        return Region(code: code, name: try fields.string("name"), level: level, parent: parent)
    }

    static func unit(_ fields: FieldReader) throws(LedgerError) -> ResponsibleUnit {
        try fields.rejectUnknownKeys(allowed: ["id", "name", "region", "kind"])
        let id = try fields.string("id")
        return ResponsibleUnit(
            id: id, name: try fields.string("name"), region: try fields.string("region"),
            kind: try fields.choice("kind", UnitKind.self))
    }

    static func round(_ fields: FieldReader) throws(LedgerError) -> InspectionRound {
        try fields.rejectUnknownKeys(allowed: ["id", "name", "group", "region", "inspected_from", "inspected_to", "feedback_on"])
        let id = try fields.string("id")
        let from = try fields.day("inspected_from")
        let to = try fields.day("inspected_to")
        guard from <= to else { throw fields.error("inspected_to", "\(to) is before inspected_from \(from)") }
        return InspectionRound(
            id: id, name: try fields.string("name"), group: try fields.string("group"), region: try fields.string("region"),
            inspectedFrom: from, inspectedTo: to, feedbackOn: try fields.day("feedback_on"))
    }

    static func task(_ fields: FieldReader) throws(LedgerError) -> RectificationTask {
        try fields.rejectUnknownKeys(allowed: [
            "id", "round", "title", "category", "region", "lead_unit", "deadline", "status", "progress", "closed_on",
        ])
        let id = try fields.string("id")
        let status = try fields.choice("status", TaskStatus.self)
        let closedOn = try fields.optionalDay("closed_on")
        if status == .closed && closedOn == nil { throw fields.error("closed_on", "is required when status is \"closed\"") }
        if status != .closed && closedOn != nil {
            throw fields.error("closed_on", "must be null unless status is \"closed\" (status is \"\(status.rawValue)\")")
        }
        return RectificationTask(
            id: id, round: try fields.string("round"), title: try fields.string("title"),
            category: try fields.choice("category", Category.self), region: try fields.string("region"),
            leadUnit: try fields.string("lead_unit"), deadline: try fields.day("deadline"), status: status,
            progress: try fields.integer("progress", in: 0...100), closedOn: closedOn)
    }

    static func petition(_ fields: FieldReader) throws(LedgerError) -> Petition {
        try fields.rejectUnknownKeys(allowed: ["id", "round", "region", "received_on", "category", "status", "closed_on"])
        let id = try fields.string("id")
        let status = try fields.choice("status", PetitionStatus.self)
        let closedOn = try fields.optionalDay("closed_on")
        if status != .open && closedOn == nil {
            throw fields.error("closed_on", "is required when status is \"\(status.rawValue)\"")
        }
        if status == .open && closedOn != nil { throw fields.error("closed_on", "must be null while status is \"open\"") }
        let receivedOn = try fields.day("received_on")
        if let closedOn, closedOn < receivedOn {
            throw fields.error("closed_on", "\(closedOn) is before received_on \(receivedOn)")
        }
        return Petition(
            id: id, round: try fields.string("round"), region: try fields.string("region"),
            receivedOn: receivedOn, category: try fields.choice("category", Category.self),
            status: status, closedOn: closedOn)
    }

    static func accountability(_ fields: FieldReader) throws(LedgerError) -> AccountabilityCase {
        try fields.rejectUnknownKeys(allowed: [
            "id", "round", "region", "source", "opened_on", "concluded_on", "units", "persons",
        ])
        let id = try fields.string("id")
        var persons: [HeldPerson] = []
        for person in try fields.objects("persons") {
            try person.rejectUnknownKeys(allowed: ["name", "position", "rank", "sanction"])
            persons.append(HeldPerson(
                name: try person.string("name"), position: try person.string("position"),
                rank: try person.choice("rank", CadreRank.self), sanction: try person.choice("sanction", Sanction.self)))
        }
        let openedOn = try fields.day("opened_on")
        let concludedOn = try fields.optionalDay("concluded_on")
        if let concludedOn, concludedOn < openedOn {
            throw fields.error("concluded_on", "\(concludedOn) is before opened_on \(openedOn)")
        }
        return AccountabilityCase(
            id: id, round: try fields.string("round"), region: try fields.string("region"),
            source: try fields.choice("source", AccountabilitySource.self), openedOn: openedOn,
            concludedOn: concludedOn, units: try fields.strings("units"), persons: persons)
    }
}
