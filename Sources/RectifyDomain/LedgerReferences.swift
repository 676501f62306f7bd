/// Checks that every reference in a ledger names a record in the same file or already known,
/// and that regions nest province → city → county.
struct LedgerReferences {
    let ledger: Ledger
    let known: KnownRecords

    func check() throws(LedgerError) {
        var levels = known.regionLevels
        for region in ledger.regions { levels[region.code] = region.level }
        let units = known.units.union(ledger.units.map(\.id))
        let rounds = known.rounds.union(ledger.rounds.map(\.id))

        func require(_ exists: Bool, _ array: String, _ index: Int, _ id: String, _ field: String, _ value: String, _ kind: String) throws(LedgerError) {
            guard exists else {
                throw LedgerError(
                    location: "\(array)[\(index)] (id \(id)).\(field)",
                    message: "\"\(value)\" names no \(kind) in this file or in the database")
            }
        }

        for (index, region) in ledger.regions.enumerated() {
            guard let parent = region.parent, let expected = region.level.parentLevel else { continue }
            guard let parentLevel = levels[parent] else {
                try require(false, "regions", index, region.code, "parent", parent, "region")
                continue
            }
            guard parentLevel == expected else {
                throw LedgerError(
                    location: "regions[\(index)] (id \(region.code)).parent",
                    message: "a \(region.level.rawValue)'s parent must be a \(expected.rawValue), but \(parent) is a \(parentLevel.rawValue)")
            }
        }
        for (index, unit) in ledger.units.enumerated() {
            try require(levels[unit.region] != nil, "units", index, unit.id, "region", unit.region, "region")
        }
        for (index, round) in ledger.rounds.enumerated() {
            try require(levels[round.region] != nil, "rounds", index, round.id, "region", round.region, "region")
        }
        for (index, task) in ledger.tasks.enumerated() {
            try require(rounds.contains(task.round), "tasks", index, task.id, "round", task.round, "round")
            try require(levels[task.region] != nil, "tasks", index, task.id, "region", task.region, "region")
            try require(units.contains(task.leadUnit), "tasks", index, task.id, "lead_unit", task.leadUnit, "unit")
        }
        for (index, petition) in ledger.petitions.enumerated() {
            try require(rounds.contains(petition.round), "petitions", index, petition.id, "round", petition.round, "round")
            try require(levels[petition.region] != nil, "petitions", index, petition.id, "region", petition.region, "region")
        }
        for (index, item) in ledger.accountability.enumerated() {
            try require(rounds.contains(item.round), "accountability", index, item.id, "round", item.round, "round")
            try require(levels[item.region] != nil, "accountability", index, item.id, "region", item.region, "region")
            for (unitIndex, unit) in item.units.enumerated() {
                try require(units.contains(unit), "accountability", index, item.id, "units[\(unitIndex)]", unit, "unit")
            }
        }
    }
}
