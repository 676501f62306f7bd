import RectifyDomain

/// The language of a rendered report: Chinese by default, as a provincial office writes it.
public enum ReportLanguage: String, Sendable, CaseIterable {
    case zh, en

    /// The display name of a cadre rank.
    func name(of rank: String) -> String {
        let names: [String: (String, String)] = [
            "provincial": ("省部级", "Provincial and ministerial"), "department": ("厅局级", "Department and bureau"),
            "division": ("县处级", "County and division"), "section_and_below": ("乡科级及以下", "Township, section and below"),
            "other": ("其他", "Other"),
        ]
        return pick(names[rank]) ?? rank
    }

    /// Persons held at a cadre rank as a Chinese text names them: 县处级干部 and the like, and
    /// 其他人员 for those of no cadre rank (the disclosure's prose, the tally's CSV columns).
    static func chineseRankPhrase(_ rank: CadreRank) -> String {
        switch rank {
        case .provincial: "省部级干部"
        case .department: "厅局级干部"
        case .division: "县处级干部"
        case .sectionAndBelow: "乡科级及以下干部"
        case .other: "其他人员"
        }
    }

    /// The persons held at each cadre rank that has any, as a sentence lists them: 县处级干部2人,
    /// 2 at county and division level; `measure` is the Chinese counting word (人, 人（次）).
    func ranks(_ byRank: [String: Int], measure: String) -> [String] {
        CadreRank.allCases.compactMap { rank in
            let n = byRank[rank.rawValue] ?? 0
            guard n > 0 else { return nil }
            return text("\(Self.chineseRankPhrase(rank))\(n)\(measure)",
                        rank == .other ? "\(n) other" : "\(n) at \(name(of: rank.rawValue).lowercased()) level")
        }
    }

    /// The display name of a sanction.
    func name(ofSanction sanction: String) -> String {
        let names: [String: (String, String)] = [
            "party_discipline": ("党纪处分", "Party discipline"), "government_sanction": ("政务处分", "Government sanction"),
            "admonishment": ("诫勉", "Admonishment"), "organizational_handling": ("组织处理", "Organizational handling"),
            "other": ("其他", "Other"),
        ]
        return pick(names[sanction]) ?? sanction
    }

    /// The display name of a name-and-shame level: 提醒, 预警, 通报批评.
    func name(of level: NameAndShame.Level) -> String {
        switch level {
        case .reminder: text("提醒", "Reminder")
        case .warning: text("预警", "Warning")
        case .publicNotice: text("通报批评", "Public criticism")
        }
    }

    /// The display name of the reason a unit is named.
    func name(of reason: NameAndShame.Reason) -> String {
        switch reason {
        case .overdue: text("逾期未完成", "Overdue")
        case .notReported: text("未按时报送进展", "Progress not reported")
        case .stalled: text("推进滞后", "Stalled")
        }
    }

    /// The row or place of the province's own departments, whose tasks and cases belong to no
    /// city: 省直部门.
    var provincialDepartments: String { text("省直部门", "Provincial departments") }

    /// A period `YYYY-MM` as a reader dates it: 2026年10月, October 2026.
    public func period(_ text: String) -> String {
        guard let period = Period(text) else { return text }
        return self == .zh ? "\(period.year)年\(period.month)月" : "\(Self.months[period.month - 1]) \(period.year)"
    }

    /// A month without its year: 11月, November.
    func month(_ period: Period) -> String {
        self == .zh ? "\(period.month)月" : Self.months[period.month - 1]
    }

    /// A day `YYYY-MM-DD` as a reader writes it: 2026年10月31日, 31 October 2026.
    func day(_ text: String) -> String {
        guard let day = Day(text) else { return text }
        return self == .zh ? "\(day.year)年\(day.month)月\(day.day)日" : "\(day.day) \(Self.months[day.month - 1]) \(day.year)"
    }

    private static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ]

    func pick(_ pair: (String, String)?) -> String? {
        pair.map { self == .zh ? $0.0 : $0.1 }
    }

    func text(_ zh: String, _ en: String) -> String { self == .zh ? zh : en }

    /// A count with its English noun in the singular or plural: 1 unit, 3 units.
    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
