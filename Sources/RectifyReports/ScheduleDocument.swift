import Foundation
import RectifyDomain

/// The monthly schedule (月度调度) as the office issues it: 总体情况 with the month's change,
/// 存在问题, 临期预警 (the tasks due next month, unit by unit) and 工作要求; the places, the
/// cities' ranking by 按期推进率 and the rounds as attachments. The places follow the office's
/// own grouping: the province's departments as a row (省直部门), and the county-level cities it
/// lists apart (定州, 辛集) as rows of their own, no longer counted in their parent city's row.
enum ScheduleDocument {
    static func document(
        _ report: MonthlySchedule, heading: ReportHeading, configuration c: ReportConfiguration, language l: ReportLanguage
    ) -> OfficialDocument {
        let period = heading.period
        let places = PlaceRows.rows(report, separate: c.separateRows, l)
        var sections = OfficialDocument.Sections(l)
        var body = [sections.heading("总体情况", "Overall")]
        body += overall(report, period: period, l).map { .paragraph($0) }
        body += charts(places, l).map { .chart($0) }
        let problems = problemsFound(report, places, l) + (c.problems.isEmpty ? [] : [c.problems])
        if !problems.isEmpty { body += [sections.heading("存在问题", "Problems")] + problems.map { .paragraph($0) } }
        if !report.dueNextMonth.isEmpty {
            let following = Period(period)?.next
            body += [
                sections.heading("临期预警", "Due next month"),
                .paragraph(l.text(
                    "以下\(report.dueNextMonth.count)项整改任务将于\(following.map { l.month($0) } ?? "次月")到期，请牵头单位倒排工期、确保按时完成：",
                    "These \(ReportLanguage.count(report.dueNextMonth.count, "task")) fall due in \(following.map { l.month($0) } ?? "the next month"); "
                        + "their lead units are to finish them on time:")),
                .table(DocumentTable(
                    headers: [l.text("所在地", "Where"), l.text("牵头单位", "Lead unit"), l.text("整改任务", "Task"), l.text("整改时限", "Deadline")],
                    rows: report.dueNextMonth.map { [$0.region.hasSuffix("0000") ? l.provincialDepartments : $0.cityName ?? $0.regionName,
                                                     $0.unitName, $0.taskTitle, l.day($0.deadline)] })),
            ]
        }
        body += [sections.heading("工作要求", "What is required"), .paragraph(c.requirements)]
        let attachments = [
            OfficialDocument.Attachment(
                title: l.text("各地整改任务进展情况", "Tasks by place"),
                blocks: [.table(DocumentTable(
                    headers: placeColumns(period, l), rows: places.map { [$0.name] + figures($0.figures) },
                    numeric: Set(1...8), subRows: Set(places.indices.filter { places[$0].isCounty })))]),
            OfficialDocument.Attachment(
                title: l.text("各市按期推进率排名", "Cities ranked by share of tasks on schedule"),
                blocks: [.paragraph(l.text("按期推进率 = 1 − 逾期未完成任务数 ÷ 整改任务总数。逾期未完成指未启动或正在推进、整改时限在统计期末日及以前的任务；"
                                           + "已完成整改待验收的任务不计为逾期。无整改任务的地区不参与排名。",
                                           "Share on schedule = 1 − overdue tasks ÷ all tasks. Overdue: not started or in progress with the deadline "
                                           + "on or before the period's last day; a task waiting for acceptance is never overdue. Places without tasks are not ranked.")),
                         .table(DocumentTable(headers: rankingColumns(l), rows: PlaceRows.ranking(places).map {
                             ["\($0.rank)", $0.name, "\($0.tasksTotal)", "\($0.tasksOnSchedule)", String(format: "%.1f%%", $0.shareOnSchedule * 100)]
                         }, numeric: [0, 2, 3, 4]))]),
            OfficialDocument.Attachment(
                title: l.text("分轮次整改情况", "By inspection round"),
                blocks: [.table(DocumentTable(headers: roundColumns(period, l), rows: roundRows(report), numeric: Set(1...8)))]),
        ]
        return OfficialDocument(
            heading: heading, language: l, title: ReportTitles.title(ReportJobs.monthlySchedule, period, l),
            addressees: c.addressees, body: body, attachments: attachments, signer: heading.issuer, copiedTo: c.copiedTo)
    }

    /// 总体情况: tasks by status with the month's change, the province's backlog, petitions, reporting.
    static func overall(_ report: MonthlySchedule, period: String, _ l: ReportLanguage) -> [String] {
        let o = report.overall, t = o.tasks
        let asOf = Period(period).map { l.day("\($0.lastDay)") } ?? period
        let next = Period(period).map { l.month($0.next) } ?? l.text("次月", "next month")
        let rounds = report.byRound.count
        let scope = l.text("全省\(rounds == 2 ? "两" : "\(rounds)")轮中央生态环境保护督察反馈问题涉及整改任务",
                           "the \(ReportLanguage.count(rounds, "round")) of central inspection fed back")
        var tasks = l.text(
            "截至\(asOf)，\(scope)\(t.tasksTotal)项：已销号\(t.tasksClosed)项（本月新增销号\(t.tasksClosedInPeriod)项），"
                + "已验收、公示中\(t.tasksAccepted)项，待验收\(t.tasksPendingAcceptance)项",
            "As of \(asOf), \(scope) \(t.tasksTotal) tasks: \(t.tasksClosed) closed (\(t.tasksClosedInPeriod) this month), "
                + "\(t.tasksAccepted) accepted and under public notice, \(t.tasksPendingAcceptance) waiting for acceptance")
        if t.tasksPendingAcceptancePastDeadline > 0 {
            tasks += l.text("（其中\(t.tasksPendingAcceptancePastDeadline)项已过整改时限、待省级验收）",
                            " (\(t.tasksPendingAcceptancePastDeadline) past their deadline, waiting on the province)")
        }
        tasks += l.text("，正在推进\(t.tasksInProgress)项，未启动\(t.tasksNotStarted)项。", ", \(t.tasksInProgress) in progress, \(t.tasksNotStarted) not started.")
        tasks += l.text("逾期未完成\(t.tasksOverdue)项（本月新增逾期\(t.tasksNewlyOverdue)项），\(next)到期\(t.tasksDueNextMonth)项",
                        " \(t.tasksOverdue) overdue (\(t.tasksNewlyOverdue) newly this month), \(t.tasksDueNextMonth) due in \(next)")
        tasks += o.tasksExtended > 0 ? l.text("，经批准延期\(o.tasksExtended)项。", ", \(o.tasksExtended) with an approved extension.") : l.text("。", ".")
        var petitions = l.text(
            "督察组交办的\(o.petitionsTotal)件群众信访举报件，已办结\(o.petitionsClosed)件、阶段性办结\(o.petitionsClosedInStages)件",
            "Of the \(o.petitionsTotal) petitions transferred, \(o.petitionsClosed) closed and \(o.petitionsClosedInStages) closed in stages")
        petitions += o.petitionsOpen > 0 ? l.text("，尚未办结\(o.petitionsOpen)件。", ", \(o.petitionsOpen) open.") : l.text("。", ".")
        let reporting = o.officesNotReported == 0
            ? l.text("各地均按时报送了本月进展。", "Every office due to report did.")
            : l.text("\(o.officesNotReported)个地区督察整改办未按时报送本月进展，涉及牵头单位\(o.unitsNotReported)个。",
                     "\(o.officesNotReported) offices did not report this month, for \(ReportLanguage.count(o.unitsNotReported, "lead unit")).")
        return [tasks, petitions + reporting]
    }

    /// What the figures show: where the overdue tasks are, and the province's acceptance backlog.
    static func problemsFound(_ report: MonthlySchedule, _ places: [PlaceRows.Row], _ l: ReportLanguage) -> [String] {
        var found: [String] = []
        // The three places with most overdue tasks, and any tied with the third.
        let ranked = places.filter { !$0.isCounty && $0.figures.tasksOverdue > 0 }
            .sorted { ($0.figures.tasksOverdue, $1.code) > ($1.figures.tasksOverdue, $0.code) }
        let worst = ranked.filter { $0.figures.tasksOverdue >= (ranked.prefix(3).last?.figures.tasksOverdue ?? 0) }
        if !worst.isEmpty {
            found.append(l.text(
                "整改进度不平衡，逾期未完成任务较多的是" + worst.map { "\($0.name)（\($0.figures.tasksOverdue)项）" }.joined(separator: "、") + "。",
                "Progress is uneven: most overdue tasks are in " + worst.map { "\($0.name) (\($0.figures.tasksOverdue))" }.joined(separator: ", ") + "."))
        }
        let backlog = report.overall.tasks.tasksPendingAcceptancePastDeadline
        if backlog > 0 {
            found.append(l.text("\(backlog)项任务已完成整改、申请验收，但已过整改时限尚未验收，省级验收需加快。",
                                "\(ReportLanguage.count(backlog, "task")) finished and past their deadline still wait for the province's acceptance."))
        }
        return found
    }

    /// The bar charts of the HTML form: tasks by status per place, and the places with overdue
    /// tasks, most first.
    static func charts(_ places: [PlaceRows.Row], _ l: ReportLanguage) -> [String] {
        let top = places.filter { !$0.isCounty }
        return [
            BarChart.svg(
                caption: l.text("各地整改任务完成情况", "Tasks by status per place"),
                series: [(l.text("已销号", "Closed"), "#2e7d32"), (l.text("已验收、公示中", "Accepted, under notice"), "#66bb6a"),
                         (l.text("待验收", "Pending acceptance"), "#ffca28"), (l.text("正在推进", "In progress"), "#42a5f5"),
                         (l.text("未启动", "Not started"), "#bdbdbd")],
                bars: top.map { p in
                    BarChart.Bar(label: p.name, values: [p.figures.tasksClosed, p.figures.tasksAccepted, p.figures.tasksPendingAcceptance,
                                                        p.figures.tasksInProgress, p.figures.tasksNotStarted])
                }),
            BarChart.svg(
                caption: l.text("各地逾期未完成整改任务", "Overdue tasks per place"), series: [(l.text("逾期未完成", "Overdue"), "#c62828")],
                bars: top.filter { $0.figures.tasksOverdue > 0 }.sorted { ($0.figures.tasksOverdue, $1.code) > ($1.figures.tasksOverdue, $0.code) }
                    .map { BarChart.Bar(label: $0.name, values: [$0.figures.tasksOverdue]) }),
        ]
    }

    static func placeColumns(_ period: String, _ l: ReportLanguage) -> [String] {
        [l.text("地区", "Place"), l.text("整改任务", "Tasks"), l.text("已销号", "Closed"), l.text("已验收、公示中", "Accepted"),
         l.text("待验收", "Pending acceptance"), l.text("正在推进", "In progress"), l.text("未启动", "Not started"),
         l.text("逾期未完成", "Overdue"), ReportTitles.dueNextMonth(period, l)]
    }

    static func figures(_ f: MonthlySchedule.TaskFigures) -> [String] {
        [f.tasksTotal, f.tasksClosed, f.tasksAccepted, f.tasksPendingAcceptance, f.tasksInProgress, f.tasksNotStarted, f.tasksOverdue,
         f.tasksDueNextMonth].map(String.init)
    }

    static func rankingColumns(_ l: ReportLanguage) -> [String] {
        [l.text("名次", "Rank"), l.text("地区", "Place"), l.text("整改任务", "Tasks"), l.text("按期推进", "On schedule"),
         l.text("按期推进率", "Share on schedule")]
    }

    static func roundColumns(_ period: String, _ l: ReportLanguage) -> [String] {
        [l.text("督察轮次", "Round"), l.text("整改任务", "Tasks"), l.text("已销号", "Closed"), l.text("逾期未完成", "Overdue"),
         ReportTitles.dueNextMonth(period, l), l.text("信访件", "Petitions"), l.text("信访件已办结", "Petitions closed"),
         l.text("未按时报送进展的地区", "Offices not reported"), l.text("未按时报送进展的单位", "Units not reported")]
    }

    static func roundRows(_ report: MonthlySchedule) -> [[String]] {
        report.byRound.map { r in
            let f = r.figures
            return [r.name] + [f.tasks.tasksTotal, f.tasks.tasksClosed, f.tasks.tasksOverdue, f.tasks.tasksDueNextMonth, f.petitionsTotal,
                               f.petitionsClosed, f.officesNotReported, f.unitsNotReported].map(String.init)
        }
    }
}

/// The places of a schedule's document as the office groups them (see ``ScheduleDocument``).
enum PlaceRows {
    struct Row {
        var code: String
        var name: String
        var figures: MonthlySchedule.TaskFigures
        var isCounty: Bool
    }

    /// Each city (less the county-level cities listed apart) with, under it, its own tasks
    /// (市本级) and its counties that have tasks; then the cities listed apart; then the
    /// province's departments (the tasks of no city or county). A city's row is the sum of the
    /// rows under it. The JSON form keeps every county, zeros included, under its city.
    static func rows(_ report: MonthlySchedule, separate: [String], _ l: ReportLanguage) -> [Row] {
        var rows: [Row] = []
        var apart: [Row] = []
        var cityTotals = MonthlySchedule.TaskFigures()
        var city: (index: Int, own: MonthlySchedule.TaskFigures)?
        func closeCity() {
            guard let current = city, current.own.tasksTotal > 0 else { return }
            rows.insert(Row(code: rows[current.index].code, name: l.text("市本级", "The city itself"), figures: current.own, isCounty: true),
                        at: current.index + 1)
        }
        for region in report.byRegion {
            if region.level == "city" {
                closeCity()
                cityTotals = cityTotals.adding(region.figures)
                rows.append(Row(code: region.region, name: region.name, figures: region.figures, isCounty: false))
                city = (rows.count - 1, region.figures)
            } else if separate.contains(region.region) {
                if let current = city {
                    rows[current.index].figures = rows[current.index].figures.subtracting(region.figures)
                    city?.own = current.own.subtracting(region.figures)
                }
                apart.append(Row(code: region.region, name: region.name, figures: region.figures, isCounty: false))
            } else {
                if let current = city { city?.own = current.own.subtracting(region.figures) }
                if region.figures.tasksTotal > 0 {
                    rows.append(Row(code: region.region, name: region.name, figures: region.figures, isCounty: true))
                }
            }
        }
        closeCity()
        rows += apart
        let provincial = report.overall.tasks.subtracting(cityTotals)
        if provincial.tasksTotal > 0 {
            rows.append(Row(code: "", name: l.provincialDepartments, figures: provincial, isCounty: false))
        }
        return rows
    }

    /// The cities and the cities listed apart that have tasks, ranked as the schedule ranks its
    /// cities (``MonthlySchedule/rank(_:)``).
    static func ranking(_ rows: [Row]) -> [MonthlySchedule.CityRank] {
        MonthlySchedule.rank(rows.filter { !$0.isCounty && !$0.code.isEmpty && $0.figures.tasksTotal > 0 }
            .map { (region: $0.code, name: $0.name, figures: $0.figures) })
    }
}

extension MonthlySchedule.TaskFigures {
    func adding(_ other: Self) -> Self { combined(other, +) }
    func subtracting(_ other: Self) -> Self { combined(other, -) }

    private func combined(_ other: Self, _ operation: (Int, Int) -> Int) -> Self {
        var result = self
        for field in Self.fields { result[keyPath: field] = operation(self[keyPath: field], other[keyPath: field]) }
        return result
    }
}
