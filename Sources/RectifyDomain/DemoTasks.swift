/// The records of the demo province, written as a provincial ledger writes them: tasks titled
/// by the problem the inspection found and where, petitions, and accountability cases with the
/// persons held under the anonymised names the province publishes (王某某).
enum DemoTasks {
    /// Problems the inspection fed back, by category.
    private static let problems: [Category: [String]] = [
        .air: ["钢铁企业超低排放改造滞后", "散乱污企业反弹", "建筑工地扬尘管控不到位", "燃煤锅炉淘汰不彻底", "挥发性有机物无组织排放突出"],
        .water: ["城市黑臭水体整治不彻底", "城镇污水处理厂超标排放", "入河排污口排查整治不到位", "地下水超采综合治理滞后"],
        .soil: ["受污染耕地安全利用率偏低", "涉重金属企业周边土壤污染风险管控不到位"],
        .solidWaste: ["非正规垃圾堆放点清理不彻底", "危险废物贮存处置不规范", "尾矿库环境风险隐患突出"],
        .ecology: ["矿山生态修复进展缓慢", "自然保护区内违规建设项目清理整治不到位", "河道违法侵占清理不彻底"],
        .climate: ["煤炭消费总量控制不力", "高耗能高排放项目盲目上马"],
        .other: ["环评审批把关不严", "生态环境执法监管宽松软"],
    ]

    /// A task of the older round (fed back 2022, deadlines 2023–2025, mostly done) or the newer
    /// one (fed back 2025, deadlines June 2026 to December 2027, mostly under way), in `place`
    /// or, with none, the province's own.
    static func task(
        id: String, round: String, older: Bool, place: Region?, placeName: String, random: inout SplitMix64
    ) -> RectificationTask {
        let category = Category.allCases[random.next(below: Category.allCases.count)]
        let choices = problems[category]!
        let deadline = older ? monthEnd(2023, random.next(below: 36)) : monthEnd(2026, 5 + random.next(below: 19))
        // As the ledger stood at the end of July: the work of the tasks not yet closed waits for
        // the province's acceptance, which the demo's months then give (or refuse).
        let drawn = TaskStatus.allCases[random.weighted(older ? [1, 10, 6, 18, 65] : [10, 62, 8, 12, 8])]
        let status = drawn == .accepted ? .pendingAcceptance : drawn
        let progress = switch status {
        case .notStarted: 0
        case .inProgress: 10 + 5 * random.next(below: 14)
        case .pendingAcceptance, .accepted, .closed: 100
        }
        let closedOn = status == .closed
            ? (older ? monthEnd(2023, random.next(below: 30)) : monthEnd(2026, random.next(below: 6))) : nil
        let lead = place.map { "U-\($0.code)-\(random.next(below: 3) == 0 ? "EEB" : "GOV")" }
            ?? (category == .ecology ? "U-130000-NRD" : "U-130000-EEB")
        return RectificationTask(
            id: id, round: round, title: "\(placeName)\(choices[random.next(below: choices.count)])问题整改", category: category,
            region: place?.code ?? "130000", leadUnit: lead, deadline: deadline, status: status, progress: progress,
            closedOn: closedOn)
    }

    /// A petition received during the round's inspection about something in `county`, closed a
    /// month to four after it arrived unless still open.
    static func petition(id: String, round: String, older: Bool, county: String, random: inout SplitMix64) -> Petition {
        let received = Day(year: older ? 2022 : 2025, month: (older ? 3 : 4) + random.next(below: 2), day: 1 + random.next(below: 28))!
        let status = PetitionStatus.allCases[random.weighted(older ? [1, 88, 11] : [6, 74, 20])]
        let closed = status == .open ? nil : Day(year: received.year, month: received.month + 1 + random.next(below: 4), day: 1 + random.next(below: 28))
        return Petition(
            id: id, round: round, region: county, receivedOn: received,
            category: Category.allCases[random.next(below: Category.allCases.count)], status: status, closedOn: closed)
    }

    private static let surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"]
    private static let positions: [CadreRank: [String]] = [
        .provincial: ["副省长"], .department: ["副市长", "市生态环境局局长"],
        .division: ["副县（区）长", "生态环境分局局长", "县（区）自然资源局局长"],
        .sectionAndBelow: ["生态环境分局执法大队大队长", "乡镇副镇长", "生态环境分局科长"], .other: ["企业负责人", "企业环保管理人员"],
    ]

    /// A case holding the government of `place` (and sometimes its ecology bureau) and one to
    /// four persons; concluded three to twelve months after it opened, or still open.
    static func accountabilityCase(id: String, round: String, older: Bool, place: Region, random: inout SplitMix64) -> AccountabilityCase {
        let opened = older ? monthEnd(2022, 6 + random.next(below: 18)) : monthEnd(2025, 7 + random.next(below: 11))
        let concludedMonths = 3 + random.next(below: 10)
        let concluded = random.next(below: older ? 8 : 3) == 0 ? nil : monthEnd(opened.year, opened.month - 1 + concludedMonths)
        let firstSurname = random.next(below: surnames.count)
        let persons = (0..<(1 + random.next(below: 4))).map { index in
            let rank = CadreRank.allCases[random.weighted([0, 6, 30, 50, 14])]
            let titles = positions[rank]!
            return HeldPerson(
                name: surnames[(firstSurname + index) % surnames.count] + (random.next(below: 2) == 0 ? "某" : "某某"),
                position: titles[random.next(below: titles.count)], rank: rank,
                sanction: Sanction.allCases[random.weighted([25, 30, 20, 20, 5])])
        }
        return AccountabilityCase(
            id: id, round: round, region: place.code, source: AccountabilitySource.allCases[random.weighted([60, 35, 5])],
            openedOn: opened, concludedOn: concluded,
            units: ["U-\(place.code)-GOV"] + (random.next(below: 2) == 0 ? ["U-\(place.code)-EEB"] : []), persons: persons)
    }

    /// The last day of the month `months` after January of `year` (0 is January).
    static func monthEnd(_ year: Int, _ months: Int) -> Day {
        let period = Period(year: year + months / 12, month: months % 12 + 1)!
        return period.lastDay
    }
}
