/// A province, city or county, by its 6-digit administrative code.
public struct Region: Sendable, Hashable {
    public var code: String
    public var name: String
    public var level: RegionLevel
    /// The enclosing region's code; `nil` exactly for a province.
    public var parent: String?
}

/// A unit that can lead a task or be held accountable: a government, a department, a company.
public struct ResponsibleUnit: Sendable, Hashable {
    public var id: String
    public var name: String
    /// The region the unit belongs to.
    public var region: String
    public var kind: UnitKind
}

/// One central inspection round (督察) and its feedback.
public struct InspectionRound: Sendable, Hashable {
    public var id: String
    public var name: String
    /// The inspection group, e.g. "Central No. 1 Supervision Group".
    public var group: String
    public var region: String
    public var inspectedFrom: Day
    public var inspectedTo: Day
    public var feedbackOn: Day
}

/// A rectification task (整改任务) from a round's feedback, owned by a lead unit.
public struct RectificationTask: Sendable, Hashable {
    public var id: String
    public var round: String
    public var title: String
    public var category: Category
    public var region: String
    public var leadUnit: String
    public var deadline: Day
    public var status: TaskStatus
    /// Percent complete, 0–100.
    public var progress: Int
    /// The day it was closed (销号); present exactly when `status` is `closed`.
    public var closedOn: Day?
}

/// A petition (信访件) the inspection group transferred.
public struct Petition: Sendable, Hashable {
    public var id: String
    public var round: String
    public var region: String
    public var receivedOn: Day
    public var category: Category
    public var status: PetitionStatus
    /// Required unless the petition is `open`.
    public var closedOn: Day?
}

/// A person held responsible in an accountability case.
public struct HeldPerson: Sendable, Hashable {
    public var name: String
    public var position: String
    public var rank: CadreRank
    public var sanction: Sanction
}

/// An accountability case (问责) and the units and persons it holds responsible.
public struct AccountabilityCase: Sendable, Hashable {
    public var id: String
    public var round: String
    public var region: String
    public var source: AccountabilitySource
    public var openedOn: Day
    /// `nil` while the case is open.
    public var concludedOn: Day?
    /// Unit ids; a unit is held once per case that names it.
    public var units: [String]
    public var persons: [HeldPerson]
}

/// The contents of one ledger interchange file (`rectify-ledger/1`), validated.
public struct Ledger: Sendable, Hashable {
    public var regions: [Region] = []
    public var units: [ResponsibleUnit] = []
    public var rounds: [InspectionRound] = []
    public var tasks: [RectificationTask] = []
    public var petitions: [Petition] = []
    public var accountability: [AccountabilityCase] = []

    /// Creates an empty ledger.
    public init() {}

    /// How many records the file holds, all arrays together.
    public var recordCount: Int {
        regions.count + units.count + rounds.count + tasks.count + petitions.count + accountability.count
    }
}
