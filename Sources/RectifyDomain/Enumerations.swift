/// A region's level: a province has no parent, a city's parent is a province, a county's a city.
public enum RegionLevel: String, Sendable, CaseIterable, Codable {
    case province, city, county

    /// The level a parent must have, or `nil` for a province (which has none).
    public var parentLevel: RegionLevel? {
        switch self {
        case .province: nil
        case .city: .province
        case .county: .city
        }
    }
}

/// What kind of body a responsible unit is.
public enum UnitKind: String, Sendable, CaseIterable, Codable {
    case partyCommittee = "party_committee", government, department, enterprise, other
}

/// The environmental field of a task or a petition.
public enum Category: String, Sendable, CaseIterable, Codable {
    case air, water, soil, solidWaste = "solid_waste", ecology, climate, other
}

/// Where a petition (信访件) transferred by the inspection group stands.
public enum PetitionStatus: String, Sendable, CaseIterable, Codable {
    case open, closed
    /// 阶段性办结: settled for now, to be followed up.
    case closedInStages = "closed_in_stages"
}

/// Where an accountability case (问责) came from.
public enum AccountabilitySource: String, Sendable, CaseIterable, Codable {
    case transferredByInspection = "transferred_by_inspection", provincial, other
}

/// A cadre's rank, as the accountability tally counts persons held.
public enum CadreRank: String, Sendable, CaseIterable, Codable {
    /// 省部级
    case provincial
    /// 厅局级
    case department
    /// 县处级
    case division
    /// 乡科级及以下
    case sectionAndBelow = "section_and_below"
    /// 其他
    case other
}

/// The sanction a person held responsible received.
public enum Sanction: String, Sendable, CaseIterable, Codable {
    /// 党纪处分
    case partyDiscipline = "party_discipline"
    /// 政务处分
    case governmentSanction = "government_sanction"
    /// 诫勉
    case admonishment
    /// 组织处理
    case organizationalHandling = "organizational_handling"
    case other
}
