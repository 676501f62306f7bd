import Foundation

/// The monthly scheduling report (月度调度) in Markdown.
public enum ScheduleRenderer {
    /// Overall figures, rounds, the city ranking and every city and county.
    public static func markdown(_ report: MonthlySchedule, period: String, language: ReportLanguage) -> String {
        let l = language
        let o = report.overall
        var lines = [
            "# " + l.text("整改任务月度调度（\(period)）", "Monthly scheduling of rectification tasks, \(period)"), "",
            "| \(l.text("指标", "Figure")) | \(l.text("数值", "Value")) |", "| --- | ---: |",
        ]
        let rows: [(String, String, Int)] = [
            ("整改任务", "Tasks", o.tasks.tasksTotal), ("已销号", "Closed", o.tasks.tasksClosed),
            ("已验收", "Accepted", o.tasks.tasksAccepted), ("待验收", "Pending acceptance", o.tasks.tasksPendingAcceptance),
            ("推进中", "In progress", o.tasks.tasksInProgress), ("未启动", "Not started", o.tasks.tasksNotStarted),
            ("逾期未完成", "Overdue", o.tasks.tasksOverdue), ("下月到期", "Due next month", o.tasks.tasksDueNextMonth),
            ("信访件", "Petitions", o.petitionsTotal), ("已办结", "Petitions closed", o.petitionsClosed),
            ("阶段性办结", "Closed in stages", o.petitionsClosedInStages), ("未办结", "Petitions open", o.petitionsOpen),
            ("本月未报送进展的单位", "Offices not reported", o.officesNotReported),
        ]
        lines += rows.map { "| \(l.text($0.0, $0.1)) | \($0.2) |" }
        lines += ["", "## " + l.text("分轮次", "By round"), "",
                  "| \(l.text("轮次", "Round")) | \(l.text("任务", "Tasks")) | \(l.text("逾期", "Overdue")) | \(l.text("下月到期", "Due next month")) | \(l.text("信访件", "Petitions")) | \(l.text("未报送单位", "Not reported")) |",
                  "| --- | ---: | ---: | ---: | ---: | ---: |"]
        lines += report.byRound.map { r in
            "| \(r.round) | \(r.figures.tasks.tasksTotal) | \(r.figures.tasks.tasksOverdue) | \(r.figures.tasks.tasksDueNextMonth) | \(r.figures.petitionsTotal) | \(r.figures.officesNotReported) |"
        }
        lines += ["", "## " + l.text("各市按期推进率排名", "Cities ranked by share of tasks on schedule"), "",
                  "| \(l.text("名次", "Rank")) | \(l.text("地市", "City")) | \(l.text("任务", "Tasks")) | \(l.text("按期", "On schedule")) | \(l.text("按期率", "Share")) |",
                  "| ---: | --- | ---: | ---: | ---: |"]
        lines += report.cityRanking.map { c in
            "| \(c.rank) | \(c.name) | \(c.tasksTotal) | \(c.tasksOnSchedule) | \(String(format: "%.1f%%", c.shareOnSchedule * 100)) |"
        }
        lines += ["", "## " + l.text("分地区", "By city and county"), "",
                  "| \(l.text("地区", "Region")) | \(l.text("任务", "Tasks")) | \(l.text("已销号", "Closed")) | \(l.text("逾期", "Overdue")) | \(l.text("下月到期", "Due next month")) |",
                  "| --- | ---: | ---: | ---: | ---: |"]
        lines += report.byRegion.map { r in
            let name = r.level == "county" ? "　" + r.name : "**\(r.name)**"
            return "| \(name) | \(r.figures.tasksTotal) | \(r.figures.tasksClosed) | \(r.figures.tasksOverdue) | \(r.figures.tasksDueNextMonth) |"
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
