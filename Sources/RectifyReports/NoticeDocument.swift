import RectifyDomain

/// The name-and-shame notice (点名通报) as the office issues it: the month's situation and the
/// change since the last notice, what each level means and how many units are at each, who
/// moved up (as a table), the problems, what the named units must do and what being named again
/// brings; the named units and their tasks as one attachment per level reached.
enum NoticeDocument {
    static func document(
        _ notice: NameAndShame, heading: ReportHeading, configuration c: ReportConfiguration, language l: ReportLanguage
    ) -> OfficialDocument {
        let period = Period(heading.period)
        let units = levelsByUnit(notice)
        func count(_ level: NameAndShame.Level) -> Int { units.values.filter { $0.level == level }.count }
        let levels = [NameAndShame.Level.publicNotice, .warning, .reminder].filter { count($0) > 0 }
        var body: [OfficialDocument.Block] = [.paragraph(opening(notice, period: period, l))]
        guard notice.unitsNamed > 0 else {
            body.append(.paragraph(l.text("本期无被点名单位。", "No unit is named this month.")))
            return document(heading: heading, configuration: c, language: l, body: body, attachments: [])
        }
        var sections = OfficialDocument.Sections(l)
        body += [
            sections.heading("点名等级", "Levels"),
            .paragraph(l.text(
                "按照连续被点名的期数逐级升级：首次被点名的予以提醒，连续两期被点名的予以预警，连续三期及以上被点名的予以通报批评。"
                    + "本期通报批评\(count(.publicNotice))个单位、预警\(count(.warning))个单位、提醒\(count(.reminder))个单位。",
                "Levels rise with consecutive notices: a unit named for the first time is reminded, named in two notices running "
                    + "it is warned, in three or more it is publicly criticised. This month \(count(.publicNotice)) under public criticism, "
                    + "\(count(.warning)) warned, \(count(.reminder)) reminded.")),
        ]
        let moved = escalations(notice, units, separate: c.separateRows, l)
        if !moved.table.rows.isEmpty {
            body += [sections.heading("升级情况", "Units that moved up"), .paragraph(moved.lead), .table(moved.table)]
        }
        var problems = problems(notice, period: period, l)
        if !c.problems.isEmpty { problems.append(c.problems) }
        if !problems.isEmpty { body += [sections.heading("存在问题", "Problems")] + problems.map { .paragraph($0) } }
        body += [sections.heading("工作要求", "What is required"), .paragraph(c.requirements), .paragraph(c.reply), .paragraph(c.consequences)]
        let attachments = levels.map { level in
            OfficialDocument.Attachment(
                title: l.text("\(l.name(of: level))单位及整改任务清单（\(count(level))个单位）",
                              "Units \(l.name(of: level).lowercased()) and their tasks (\(ReportLanguage.count(count(level), "unit")))"),
                blocks: [.table(DocumentTable(headers: columns(l), rows: rows(notice.named.filter { $0.level == level }, separate: c.separateRows, l),
                                              numeric: [5], style: "named"))])
        }
        return document(heading: heading, configuration: c, language: l, body: body, attachments: attachments)
    }

    private static func document(
        heading: ReportHeading, configuration c: ReportConfiguration, language l: ReportLanguage,
        body: [OfficialDocument.Block], attachments: [OfficialDocument.Attachment]
    ) -> OfficialDocument {
        OfficialDocument(
            heading: heading, language: l, title: ReportTitles.title(ReportJobs.nameAndShame, heading.period, l),
            addressees: c.addressees, body: body, attachments: attachments, signer: heading.issuer, copiedTo: c.copiedTo)
    }

    /// 截至2026年11月30日24时: as of the end of the period's last day, so a task due that day is
    /// already late, as the tables count it.
    static func asOf(_ period: Period?, _ l: ReportLanguage) -> String {
        guard let period else { return "" }
        return l.text("截至\(l.day("\(period.lastDay)"))24时", "As of the end of \(l.day("\(period.lastDay)"))")
    }

    /// The month's situation and the change since the last notice.
    static func opening(_ notice: NameAndShame, period: Period?, _ l: ReportLanguage) -> String {
        var text = l.text(
            "\(asOf(period, l))，全省有\(notice.unitsNamed)个单位牵头的\(notice.tasksNamed)项中央生态环境保护督察整改任务"
                + "存在逾期未完成、未按时报送进展或推进滞后问题",
            "\(asOf(period, l)), \(ReportLanguage.count(notice.unitsNamed, "unit")) lead "
                + "\(ReportLanguage.count(notice.tasksNamed, "rectification task")) that are overdue, unreported or stalled")
        if let previous = notice.previousNotice, let before = notice.previousUnitsNamed {
            let change = notice.unitsNamed - before
            text += l.text(
                "，较上期（\(l.period(previous))）" + (change == 0 ? "持平" : change > 0 ? "增加\(change)个单位" : "减少\(-change)个单位"),
                ", " + (change == 0 ? "as many units as" : change > 0 ? "\(change) more than" : "\(-change) fewer than")
                    + " in the previous notice (\(l.period(previous)))")
        } else {
            text += l.text("，本期为首期点名通报", "; this is the first notice")
        }
        return text + l.text("。现将有关情况通报如下。", ". The units are named as follows.")
    }

    /// The units whose level rose, or that stayed under public criticism, as a table.
    static func escalations(
        _ notice: NameAndShame, _ units: [String: UnitLevel], separate: [String], _ l: ReportLanguage
    ) -> (lead: String, table: DocumentTable) {
        let places = Dictionary(notice.named.map { ($0.unit, (code: place(of: $0, separate: separate), name: group(of: $0, separate: separate, l))) },
                                uniquingKeysWith: { first, _ in first })
        // Highest level first, then as the attachments list them: by place, then unit.
        let moved = units.filter { $0.value.previous != nil }.sorted {
            ($1.value.level.rank, places[$0.key]?.code ?? "", $0.key) < ($0.value.level.rank, places[$1.key]?.code ?? "", $1.key)
        }
        let stayed = moved.filter { $0.value.previous == .publicNotice }.count
        let table = DocumentTable(
            headers: [l.text("所在地", "Where"), l.text("单位", "Unit"), l.text("上期等级", "Previous level"), l.text("本期等级", "This month")],
            rows: moved.map { unit, level in
                [places[unit]?.name ?? "", level.name, l.name(of: level.previous!), l.name(of: level.level)]
            })
        let lead = l.text(
            "与上期相比，\(moved.count)个单位连续被点名、等级相应升级" + (stayed > 0 ? "，其中\(stayed)个单位已连续三期及以上被点名、继续通报批评" : "") + "：",
            "Since the previous notice, \(ReportLanguage.count(moved.count, "unit")) named again moved up"
                + (stayed > 0 ? ", \(stayed) of them named three months running or more and still publicly criticised" : "") + ":")
        return (lead, table)
    }

    /// What the figures say beyond the lists: tasks overdue and those that became overdue this
    /// month, units whose offices did not report, tasks stalled.
    static func problems(_ notice: NameAndShame, period: Period?, _ l: ReportLanguage) -> [String] {
        let overdue = notice.named.filter { $0.reason == .overdue }
        let newlyOverdue = Set(overdue.filter { entry in
            guard let period, let deadline = Day(entry.deadline) else { return false }
            return deadline >= period.firstDay
        }.map(\.task)).count
        let silent = Set(notice.named.filter { $0.reason == .notReported }.map(\.unit)).count
        let stalled = Set(notice.named.filter { $0.reason == .stalled }.map(\.task)).count
        var facts: [String] = []
        if !overdue.isEmpty {
            facts.append(l.text(
                "逾期未完成整改任务\(Set(overdue.map(\.task)).count)项" + (newlyOverdue > 0 ? "，其中本月新增逾期\(newlyOverdue)项" : ""),
                "\(ReportLanguage.count(Set(overdue.map(\.task)).count, "task")) overdue" + (newlyOverdue > 0 ? ", \(newlyOverdue) of them newly this month" : "")))
        }
        if silent > 0 { facts.append(l.text("\(silent)个单位所在地区未按时报送进展", "\(ReportLanguage.count(silent, "unit")) whose offices did not report")) }
        if stalled > 0 { facts.append(l.text("\(stalled)项任务连续多月进展停滞", "\(ReportLanguage.count(stalled, "task")) stalled for months")) }
        guard !facts.isEmpty else { return [] }
        return [l.text("从本期调度情况看，", "This month, ") + facts.joined(separator: l.text("，", "; ")) + l.text("。", ".")]
    }

    static func columns(_ l: ReportLanguage) -> [String] {
        [l.text("所在地", "Where"), l.text("单位", "Unit"), l.text("整改任务", "Task"), l.text("整改时限", "Deadline"),
         l.text("点名原因", "Reason"), l.text("逾期天数", "Days overdue")]
    }

    /// The place a named unit is listed under: its city, a county-level city the office lists
    /// apart (`separate`: 定州, 辛集), or for the province's own departments (a province's code
    /// ends in 0000) 省直部门.
    static func group(of entry: NameAndShame.Entry, separate: [String] = [], _ l: ReportLanguage) -> String {
        if separate.contains(entry.region) { return entry.regionName }
        return entry.city.hasSuffix("0000") ? l.provincialDepartments : entry.cityName
    }

    /// The code of the place ``group(of:separate:_:)`` names, to order by.
    private static func place(of entry: NameAndShame.Entry, separate: [String]) -> String {
        separate.contains(entry.region) ? entry.region : entry.city
    }

    /// A row per unit and task, by place: the reasons joined, the days overdue when one of them is overdue.
    static func rows(_ entries: [NameAndShame.Entry], separate: [String], _ l: ReportLanguage) -> [[String]] {
        var order: [String] = []
        var grouped: [String: [NameAndShame.Entry]] = [:]
        for entry in entries.sorted(by: {
            (place(of: $0, separate: separate), $0.unit, $0.task) < (place(of: $1, separate: separate), $1.unit, $1.task)
        }) {
            let key = entry.unit + "\u{1F}" + entry.task
            if grouped[key] == nil { order.append(key) }
            grouped[key, default: []].append(entry)
        }
        return order.map { key in
            let group = grouped[key]!.sorted { NameAndShame.Reason.allCases.firstIndex(of: $0.reason)! < NameAndShame.Reason.allCases.firstIndex(of: $1.reason)! }
            let first = group[0]
            let overdue = group.first { $0.reason == .overdue }
            return [self.group(of: first, separate: separate, l), first.unitName, first.taskTitle,
                    l.day(first.deadline) + (first.originalDeadline.map { l.text("（延期，原定\(l.day($0))）", " (extended from \(l.day($0)))") } ?? ""),
                    group.map { l.name(of: $0.reason) }.joined(separator: l.text("、", "; ")), overdue.map { "\($0.daysOverdue)" } ?? ""]
        }
    }

    /// A named unit's name, level, and level in the previous notice.
    struct UnitLevel {
        var name: String
        var level: NameAndShame.Level
        var previous: NameAndShame.Level?
    }

    static func levelsByUnit(_ notice: NameAndShame) -> [String: UnitLevel] {
        var units: [String: UnitLevel] = [:]
        for entry in notice.named { units[entry.unit] = UnitLevel(name: entry.unitName, level: entry.level, previous: entry.previousLevel) }
        return units
    }
}

extension NameAndShame.Level {
    /// 0 for a reminder, 2 for public criticism.
    var rank: Int { NameAndShame.Level.allCases.firstIndex(of: self)! }
}
