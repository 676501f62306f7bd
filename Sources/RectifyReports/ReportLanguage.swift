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

    /// The display name of a sanction.
    func name(ofSanction sanction: String) -> String {
        let names: [String: (String, String)] = [
            "party_discipline": ("党纪处分", "Party discipline"), "government_sanction": ("政务处分", "Government sanction"),
            "admonishment": ("诫勉", "Admonishment"), "organizational_handling": ("组织处理", "Organizational handling"),
            "other": ("其他", "Other"),
        ]
        return pick(names[sanction]) ?? sanction
    }

    /// The display name of a name-and-shame level: 提醒, 预警, 通报.
    func name(of level: NameAndShame.Level) -> String {
        switch level {
        case .reminder: text("提醒", "Reminder")
        case .warning: text("预警", "Warning")
        case .publicNotice: text("通报", "Public notice")
        }
    }

    /// The display name of the reason a unit is named.
    func name(of reason: NameAndShame.Reason) -> String {
        switch reason {
        case .overdue: text("逾期未完成", "overdue")
        case .notReported: text("本月未报送进展", "not reported")
        case .stalled: text("进展停滞", "stalled")
        }
    }

    func pick(_ pair: (String, String)?) -> String? {
        pair.map { self == .zh ? $0.0 : $0.1 }
    }

    func text(_ zh: String, _ en: String) -> String { self == .zh ? zh : en }
}
