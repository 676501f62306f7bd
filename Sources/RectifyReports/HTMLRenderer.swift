import Foundation
import RectifyDomain

/// The reports as self-contained HTML pages with SVG charts.
public enum HTMLRenderer {
    /// The monthly schedule: the dating line, the summary (tasks beside petitions), tasks by
    /// status per city, overdue tasks per city, rounds, the ranking, and every city and county.
    public static func schedule(_ report: MonthlySchedule, period: String, language l: ReportLanguage) -> String {
        let cities = report.byRegion.filter { $0.level == "city" }
        let summary = HTMLPage.table(
            [l.text("整改任务", "Tasks"), l.text("数量", "Number"), l.text("信访件及进展报送", "Petitions and reporting"), l.text("数量", "Number")],
            ScheduleRenderer.summaryRows(report.overall, period: period, l),
            numeric: [1, 3])
        let byStatus = BarChart.svg(
            caption: l.text("各市整改任务完成情况", "Tasks by status per city"),
            series: [(l.text("已销号", "Closed"), "#2e7d32"), (l.text("已验收待销号", "Accepted"), "#66bb6a"),
                     (l.text("待验收", "Pending acceptance"), "#ffca28"), (l.text("推进中", "In progress"), "#42a5f5"),
                     (l.text("未启动", "Not started"), "#bdbdbd")],
            bars: cities.map { c in
                BarChart.Bar(label: c.name, values: [c.figures.tasksClosed, c.figures.tasksAccepted, c.figures.tasksPendingAcceptance,
                                                    c.figures.tasksInProgress, c.figures.tasksNotStarted])
            })
        let overdue = BarChart.svg(
            caption: l.text("各市逾期未完成整改任务", "Overdue tasks per city"), series: [(l.text("逾期未完成", "Overdue"), "#c62828")],
            bars: cities.sorted { ($0.figures.tasksOverdue, $1.region) > ($1.figures.tasksOverdue, $0.region) }
                .map { BarChart.Bar(label: $0.name, values: [$0.figures.tasksOverdue]) })
        let rounds = HTMLPage.table(ScheduleRenderer.roundColumns(period, l), ScheduleRenderer.roundRows(report, l), numeric: Set(1...7))
        let ranking = HTMLPage.table(ScheduleRenderer.rankingColumns(l), ScheduleRenderer.rankingRows(report), numeric: [0, 2, 3, 4])
        let regions = HTMLPage.table(
            ScheduleRenderer.regionColumns(period, l), report.byRegion.map { [$0.name] + ScheduleRenderer.regionFigures($0) },
            numeric: Set(1...5), subRows: Set(report.byRegion.indices.filter { report.byRegion[$0].level == "county" }))
        return HTMLPage.page(
            title: ReportTitles.title(ReportJobs.monthlySchedule, period, l), language: l,
            body: [HTMLPage.paragraph(ReportTitles.asOf(period, l), class: "asof"), summary, byStatus, overdue,
                   HTMLPage.heading(l.text("分轮次", "By round")), rounds,
                   HTMLPage.heading(l.text("各市按期推进率排名", "Cities ranked by share of tasks on schedule")), ranking,
                   HTMLPage.heading(l.text("分地区", "By city and county")), regions]
                + (ScheduleRenderer.provincialTasksNote(report, l).map { [HTMLPage.paragraph($0)] } ?? []))
    }

    /// The accountability tally: summary, persons held by cadre rank (chart), by sanction, by round.
    public static func tally(_ tally: AccountabilityTally, period: String, language l: ReportLanguage) -> String {
        let o = tally.overall
        let summary = HTMLPage.table([l.text("指标", "Figure"), l.text("数值", "Value")], TallyRenderer.summary(o, l), numeric: [1])
        let ranks = BarChart.svg(
            caption: l.text("被问责人员按干部层级", "Persons held by cadre rank"), series: [(l.text("人次", "Persons"), "#6a1b9a")],
            bars: CadreRank.allCases.map { BarChart.Bar(label: l.name(of: $0.rawValue), values: [o.personsByRank[$0.rawValue] ?? 0]) })
        let sanctions = HTMLPage.table([l.text("问责方式", "Sanction"), l.text("人次", "Persons")],
            Sanction.allCases.map { [l.name(ofSanction: $0.rawValue), "\(o.personsBySanction[$0.rawValue] ?? 0)"] }, numeric: [1])
        let rounds = HTMLPage.table(
            [l.text("督察轮次", "Round"), l.text("问责案件", "Cases"), l.text("已办结", "Concluded"), l.text("被问责单位（家次）", "Units held"),
             l.text("被问责人员（人次）", "Persons held")],
            tally.byRound.map {
                [ReportTitles.round($0.round, $0.name, l), "\($0.figures.casesTotal)", "\($0.figures.casesConcluded)",
                 "\($0.figures.unitsHeld)", "\($0.figures.personsHeld)"]
            },
            numeric: [1, 2, 3, 4])
        return HTMLPage.page(
            title: ReportTitles.title(ReportJobs.accountabilityTally, period, l), language: l,
            body: [HTMLPage.paragraph(ReportTitles.asOf(period, l), class: "asof"), summary, ranks,
                   HTMLPage.heading(l.text("被问责人员按问责方式", "Persons held by sanction")), sanctions,
                   HTMLPage.heading(l.text("分轮次", "By round")), rounds])
    }

    /// The name-and-shame notice under its issuer's red header, with its number, lead, one
    /// section per level with units grouped by city, and the issuer and date at the foot.
    public static func notice(_ notice: NameAndShame, heading: ReportHeading, language l: ReportLanguage) -> String {
        var body = [
            HTMLPage.letterhead(issuer: heading.issuer, number: heading.number),
            HTMLPage.paragraph(ReportTitles.asOf(heading.period, l), class: "asof"),
        ]
        body += NoticeRenderer.lead(notice, heading.period, l).filter { !$0.isEmpty }.map { HTMLPage.paragraph($0) }
        for section in NoticeRenderer.sections(notice, l) {
            body.append(HTMLPage.heading(section.title))
            if section.cities.isEmpty { body.append(HTMLPage.paragraph(l.text("本期无。", "None this month."))) }
            for city in section.cities {
                body.append("<h3>\(HTMLText.escape(city.name))</h3>")
                body.append(HTMLPage.table(NoticeRenderer.columns(l), city.rows, numeric: [4], class: "named"))
            }
        }
        body.append(HTMLPage.paragraph(NoticeRenderer.closing(l)))
        body.append(HTMLPage.signature(issuer: heading.issuer, date: l.day(heading.issuedOn)))
        return HTMLPage.page(title: ReportTitles.title(ReportJobs.nameAndShame, heading.period, l), language: l, body: body, titleAfter: 1)
    }
}
