/// Makes plausible tasks, petitions and accountability cases for generated ledgers (the demo
/// province, the national benchmark), from a seeded generator so every run is the same.
///
/// Every province has two rounds: an older one (inspected 2022, mostly done) and a newer one
/// (inspected 2025, mostly under way); the mix of states follows from which round a record is in.
struct RecordGenerator {
    private var random: SplitMix64
    private let categories = Category.allCases

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    /// A number in `0..<bound`.
    mutating func pick(below bound: Int) -> Int { random.next(below: bound) }

    /// A task of the older or newer round, led by the government or ecology bureau of `place`.
    mutating func task(id: String, number: Int, round: String, older: Bool, place: Region) -> RectificationTask {
        let category = categories[number % categories.count]
        let deadline = Day(year: older ? 2023 + random.next(below: 4) : 2026 + random.next(below: 2),
                           month: 1 + random.next(below: 12), day: 1 + random.next(below: 28))!
        let status = TaskStatus.allCases[random.weighted(older ? [2, 18, 8, 24, 48] : [20, 55, 12, 9, 4])]
        let progress = switch status {
        case .notStarted: 0
        case .inProgress: 10 + random.next(below: 80)
        case .pendingAcceptance, .accepted, .closed: 100
        }
        let closedOn = status == .closed ? Day(year: 2024 + random.next(below: 2), month: 1 + random.next(below: 12), day: 1 + random.next(below: 28)) : nil
        return RectificationTask(
            id: id, round: round, title: "Rectify \(category.rawValue) problem \(number) in \(place.name)", category: category,
            region: place.code, leadUnit: "U-\(place.code)-\(random.next(below: 3) == 0 ? "EEB" : "GOV")", deadline: deadline,
            status: status, progress: progress, closedOn: closedOn)
    }

    /// A petition received during the round's inspection about something in `county`.
    mutating func petition(id: String, round: String, older: Bool, county: String) -> Petition {
        let received = older
            ? Day(year: 2022, month: random.next(below: 2) == 0 ? 3 : 4, day: 1 + random.next(below: 28))!
            : Day(year: 2025, month: random.next(below: 2) == 0 ? 4 : 5, day: 1 + random.next(below: 28))!
        let status = PetitionStatus.allCases[random.weighted(older ? [2, 85, 13] : [25, 55, 20])]
        let closed = status == .open
            ? nil : Day(year: received.year, month: min(12, received.month + 1 + random.next(below: 4)), day: 1 + random.next(below: 28))
        return Petition(
            id: id, round: round, region: county, receivedOn: received,
            category: categories[random.next(below: categories.count)], status: status, closedOn: closed)
    }

    /// A case holding the government of `place` (and sometimes its ecology bureau) and `persons` officials.
    mutating func accountabilityCase(id: String, number: Int, round: String, older: Bool, place: Region, persons: Int) -> AccountabilityCase {
        let opened = Day(year: older ? 2022 + random.next(below: 2) : 2025, month: 7 + random.next(below: 6), day: 1 + random.next(below: 28))!
        let concluded = random.next(below: 4) == 0
            ? nil : Day(year: opened.year + 1, month: 1 + random.next(below: 12), day: 1 + random.next(below: 28))
        let held = (0..<persons).map { person in
            HeldPerson(name: "Official \(number)-\(person + 1)", position: ["Director", "Deputy director", "Section chief", "Mayor"][random.next(below: 4)],
                       rank: CadreRank.allCases[random.weighted([1, 6, 30, 50, 13])],
                       sanction: Sanction.allCases[random.weighted([25, 30, 20, 20, 5])])
        }
        return AccountabilityCase(
            id: id, round: round, region: place.code, source: AccountabilitySource.allCases[random.weighted([60, 35, 5])],
            openedOn: opened, concludedOn: concluded,
            units: ["U-\(place.code)-GOV"] + (random.next(below: 2) == 0 ? ["U-\(place.code)-EEB"] : []), persons: held)
    }

    /// The two rounds of a province.
    static func rounds(province: Region, suffix: String, groups: (older: Int, newer: Int)) -> [InspectionRound] {
        [
            InspectionRound(id: "CEI2-\(suffix)", name: "Second round central inspection, \(province.name)",
                            group: "Central No. \(groups.older) Supervision Group", region: province.code,
                            inspectedFrom: Day("2022-03-23")!, inspectedTo: Day("2022-04-23")!, feedbackOn: Day("2022-06-01")!),
            InspectionRound(id: "CEI3-\(suffix)", name: "Third round central inspection, \(province.name)",
                            group: "Central No. \(groups.newer) Supervision Group", region: province.code,
                            inspectedFrom: Day("2025-04-10")!, inspectedTo: Day("2025-05-10")!, feedbackOn: Day("2025-07-15")!),
        ]
    }

    /// A government and an ecology bureau for every city and county.
    static func units(of regions: [Region]) -> [ResponsibleUnit] {
        regions.filter { $0.level != .province }.flatMap { region in
            [ResponsibleUnit(id: "U-\(region.code)-GOV", name: "\(region.name) Government", region: region.code, kind: .government),
             ResponsibleUnit(id: "U-\(region.code)-EEB", name: "\(region.name) Ecology Bureau", region: region.code, kind: .department)]
        }
    }

    /// `number` zero-padded to `width` digits.
    static func padded(_ number: Int, _ width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
