import Foundation
import RectifyDomain

/// The three reports as self-contained HTML pages with SVG charts.
public enum HTMLRenderer {
    /// The monthly schedule: summary, tasks by status per city, overdue tasks per city, the
    /// ranking, and every city and county.
    public static func schedule(_ report: MonthlySchedule, period: String, language l: ReportLanguage) -> String {
        let o = report.overall
        let cities = report.byRegion.filter { $0.level == "city" }
        let summary = HTMLPage.table([l.text("指标", "Figure"), l.text("数值", "Value")], [
            [l.text("整改任务", "Tasks"), "\(o.tasks.tasksTotal)"], [l.text("已销号", "Closed"), "\(o.tasks.tasksClosed)"],
            [l.text("已验收", "Accepted"), "\(o.tasks.tasksAccepted)"], [l.text("逾期未完成", "Overdue"), "\(o.tasks.tasksOverdue)"],
            [l.text("下月到期", "Due next month"), "\(o.tasks.tasksDueNextMonth)"], [l.text("信访件", "Petitions"), "\(o.petitionsTotal)"],
            [l.text("信访件已办结", "Petitions closed"), "\(o.petitionsClosed)"],
            [l.text("本月未报送进展的单位", "Offices not reported"), "\(o.officesNotReported)"],
        ], numeric: [1])
        let byStatus = BarChart.svg(
            caption: l.text("各市整改任务完成情况", "Tasks by status per city"),
            series: [(l.text("已销号", "Closed"), "#2e7d32"), (l.text("已验收", "Accepted"), "#66bb6a"),
                     (l.text("待验收", "Pending acceptance"), "#ffca28"), (l.text("推进中", "In progress"), "#42a5f5"),
                     (l.text("未启动", "Not started"), "#bdbdbd")],
            bars: cities.map { c in
                BarChart.Bar(label: c.name, values: [c.figures.tasksClosed, c.figures.tasksAccepted, c.figures.tasksPendingAcceptance,
                                                    c.figures.tasksInProgress, c.figures.tasksNotStarted])
            })
        let overdue = BarChart.svg(
            caption: l.text("各市逾期未完成任务", "Overdue tasks per city"), series: [(l.text("逾期", "Overdue"), "#c62828")],
            bars: cities.sorted { $0.figures.tasksOverdue > $1.figures.tasksOverdue }.map { BarChart.Bar(label: $0.name, values: [$0.figures.tasksOverdue]) })
        let ranking = HTMLPage.table(
            [l.text("名次", "Rank"), l.text("地市", "City"), l.text("任务", "Tasks"), l.text("按期", "On schedule"), l.text("按期率", "Share")],
            report.cityRanking.map { ["\($0.rank)", $0.name, "\($0.tasksTotal)", "\($0.tasksOnSchedule)", String(format: "%.1f%%", $0.shareOnSchedule * 100)] },
            numeric: [0, 2, 3, 4])
        let regions = HTMLPage.table(
            [l.text("地区", "Region"), l.text("任务", "Tasks"), l.text("已销号", "Closed"), l.text("逾期", "Overdue"), l.text("下月到期", "Due next month")],
            report.byRegion.map { [$0.name, "\($0.figures.tasksTotal)", "\($0.figures.tasksClosed)", "\($0.figures.tasksOverdue)", "\($0.figures.tasksDueNextMonth)"] },
            numeric: [1, 2, 3, 4], subRows: Set(report.byRegion.indices.filter { report.byRegion[$0].level == "county" }))
        return HTMLPage.page(
            title: l.text("整改任务月度调度（\(period)）", "Monthly scheduling of rectification tasks, \(period)"), language: l,
            body: [summary, byStatus, overdue, HTMLPage.heading(l.text("各市按期推进率排名", "Cities ranked by share on schedule")), ranking,
                   HTMLPage.heading(l.text("分地区", "By city and county")), regions])
    }

    /// The accountability tally: summary, persons held by rank (chart), by sanction, by round.
    public static func tally(_ tally: AccountabilityTally, period: String, language l: ReportLanguage) -> String {
        let o = tally.overall
        let summary = HTMLPage.table([l.text("指标", "Figure"), l.text("数值", "Value")], TallyRenderer.summary(o, l), numeric: [1])
        let ranks = BarChart.svg(
            caption: l.text("被问责人员按职级", "Persons held by rank"), series: [(l.text("人次", "Persons"), "#6a1b9a")],
            bars: CadreRank.allCases.map { BarChart.Bar(label: l.name(of: $0.rawValue), values: [o.personsByRank[$0.rawValue] ?? 0]) })
        let sanctions = HTMLPage.table([l.text("处理方式", "Sanction"), l.text("人次", "Persons")],
            Sanction.allCases.map { [l.name(ofSanction: $0.rawValue), "\(o.personsBySanction[$0.rawValue] ?? 0)"] }, numeric: [1])
        let rounds = HTMLPage.table(
            [l.text("轮次", "Round"), l.text("案件", "Cases"), l.text("已办结", "Concluded"), l.text("单位（家次）", "Units held"), l.text("人员（人次）", "Persons held")],
            tally.byRound.map { [$0.round, "\($0.figures.casesTotal)", "\($0.figures.casesConcluded)", "\($0.figures.unitsHeld)", "\($0.figures.personsHeld)"] },
            numeric: [1, 2, 3, 4])
        return HTMLPage.page(
            title: l.text("问责统计（\(period)）", "Accountability tally, \(period)"), language: l,
            body: [summary, ranks, HTMLPage.heading(l.text("被问责人员按处理方式", "Persons held by sanction")), sanctions,
                   HTMLPage.heading(l.text("分轮次", "By round")), rounds])
    }

    /// The name-and-shame notice: named units by level, most severe first.
    public static func notice(_ notice: NameAndShame, period: String, language l: ReportLanguage) -> String {
        var body = ["<p>" + HTMLPage.escape(NoticeRenderer.lead(notice, l)) + "</p>"]
        for section in NoticeRenderer.sections(notice, l) {
            body.append(HTMLPage.heading(section.title))
            body.append(HTMLPage.table(NoticeRenderer.columns(l), section.rows, numeric: [3]))
        }
        return HTMLPage.page(title: NoticeRenderer.title(period, l), language: l, body: body)
    }
}
