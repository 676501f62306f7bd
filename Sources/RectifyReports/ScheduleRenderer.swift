import Foundation

/// The monthly scheduling report (月度调度) in Markdown.
public enum ScheduleRenderer {
    /// The dating line, the summary (task figures beside petition figures), rounds, the city
    /// ranking and every city and county.
    public static func markdown(_ report: MonthlySchedule, period: String, language l: ReportLanguage) -> String {
        var lines = ["# " + ReportTitles.title(ReportJobs.monthlySchedule, period, l), "", ReportTitles.asOf(period, l), ""]
        let summary = summaryRows(report.overall, period: period, l)
        lines += ["| \(l.text("整改任务", "Tasks")) | \(l.text("数量", "Number")) | \(l.text("信访件及进展报送", "Petitions and reporting")) | \(l.text("数量", "Number")) |",
                  "| --- | ---: | --- | ---: |"]
        lines += summary.map { "| " + $0.joined(separator: " | ") + " |" }
        lines += ["", "## " + l.text("分轮次", "By round"), "", "| " + roundColumns(period, l).joined(separator: " | ") + " |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        lines += roundRows(report, l).map { "| " + $0.joined(separator: " | ") + " |" }
        lines += ["", "## " + l.text("各市按期推进率排名", "Cities ranked by share of tasks on schedule"), "",
                  "| " + rankingColumns(l).joined(separator: " | ") + " |", "| ---: | --- | ---: | ---: | ---: |"]
        lines += rankingRows(report).map { "| " + $0.joined(separator: " | ") + " |" }
        lines += ["", "## " + l.text("分地区", "By city and county"), "", "| " + regionColumns(period, l).joined(separator: " | ") + " |",
                  "| --- | ---: | ---: | ---: | ---: | ---: |"]
        lines += report.byRegion.map { r in
            let name = r.level == "county" ? "　" + r.name : "**\(r.name)**"
            return "| " + ([name] + regionFigures(r)).joined(separator: " | ") + " |"
        }
        if let note = provincialTasksNote(report, l) { lines += ["", note] }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Tasks placed at the province itself (their region is the province, not a city or county
    /// below it) are in no row of the region table, so its cities add up to less than the
    /// province; this says how many are left out and how they stand, or nil when none are.
    static func provincialTasksNote(_ report: MonthlySchedule, _ l: ReportLanguage) -> String? {
        let cities = report.byRegion.filter { $0.level == "city" }.map(\.figures)
        func outside(_ figure: KeyPath<MonthlySchedule.TaskFigures, Int>) -> Int {
            report.overall.tasks[keyPath: figure] - cities.reduce(0) { $0 + $1[keyPath: figure] }
        }
        let total = outside(\.tasksTotal)
        guard total > 0 else { return nil }
        let closed = outside(\.tasksClosed), overdue = outside(\.tasksOverdue)
        return l.text(
            "另有省本级整改任务\(total)项（已销号\(closed)项、逾期未完成\(overdue)项），不属任何市、县，未列入本表。",
            "A further \(total) \(total == 1 ? "task" : "tasks") at the provincial level (\(closed) closed, \(overdue) overdue) "
                + "\(total == 1 ? "belongs" : "belong") to no city or county and \(total == 1 ? "is" : "are") not in this table.")
    }

    /// The summary as rows of four cells: a task figure beside a petition figure (or blanks).
    static func summaryRows(_ o: MonthlySchedule.Figures, period: String, _ l: ReportLanguage) -> [[String]] {
        let tasks: [(String, Int)] = [
            (l.text("整改任务总数", "Tasks in total"), o.tasks.tasksTotal), (l.text("已销号", "Closed"), o.tasks.tasksClosed),
            (l.text("已验收待销号", "Accepted, awaiting closure"), o.tasks.tasksAccepted),
            (l.text("待验收", "Pending acceptance"), o.tasks.tasksPendingAcceptance),
            (l.text("推进中", "In progress"), o.tasks.tasksInProgress), (l.text("未启动", "Not started"), o.tasks.tasksNotStarted),
            (l.text("逾期未完成", "Overdue"), o.tasks.tasksOverdue), (ReportTitles.dueNextMonth(period, l), o.tasks.tasksDueNextMonth),
            (l.text("经批准延期", "Deadline extended"), o.tasksExtended),
        ]
        let petitions: [(String, Int)] = [
            (l.text("信访件总数", "Petitions in total"), o.petitionsTotal), (l.text("信访件已办结", "Closed"), o.petitionsClosed),
            (l.text("阶段性办结", "Closed in stages"), o.petitionsClosedInStages), (l.text("未办结", "Open"), o.petitionsOpen),
            (l.text("未按时报送进展的地区（单位）", "Offices that did not report progress"), o.officesNotReported),
        ]
        return tasks.indices.map { index in
            [tasks[index].0, "\(tasks[index].1)"] + (index < petitions.count ? [petitions[index].0, "\(petitions[index].1)"] : ["", ""])
        }
    }

    static func roundColumns(_ period: String, _ l: ReportLanguage) -> [String] {
        [l.text("督察轮次", "Round"), l.text("整改任务", "Tasks"), l.text("已销号", "Closed"), l.text("逾期未完成", "Overdue"),
         ReportTitles.dueNextMonth(period, l), l.text("信访件", "Petitions"), l.text("信访件已办结", "Petitions closed"),
         l.text("未按时报送进展的地区（单位）", "Offices not reported")]
    }

    static func roundRows(_ report: MonthlySchedule, _ l: ReportLanguage) -> [[String]] {
        report.byRound.map { r in
            let f = r.figures
            return [ReportTitles.round(r.round, r.name, l)] + [f.tasks.tasksTotal, f.tasks.tasksClosed, f.tasks.tasksOverdue,
                                                               f.tasks.tasksDueNextMonth, f.petitionsTotal, f.petitionsClosed,
                                                               f.officesNotReported].map(String.init)
        }
    }

    static func rankingColumns(_ l: ReportLanguage) -> [String] {
        [l.text("名次", "Rank"), l.text("市", "City"), l.text("整改任务", "Tasks"), l.text("按期推进", "On schedule"),
         l.text("按期推进率", "Share on schedule")]
    }

    static func rankingRows(_ report: MonthlySchedule) -> [[String]] {
        report.cityRanking.map {
            ["\($0.rank)", $0.name, "\($0.tasksTotal)", "\($0.tasksOnSchedule)", String(format: "%.1f%%", $0.shareOnSchedule * 100)]
        }
    }

    static func regionColumns(_ period: String, _ l: ReportLanguage) -> [String] {
        [l.text("地区", "City or county"), l.text("整改任务", "Tasks"), l.text("已销号", "Closed"),
         l.text("已验收待销号", "Accepted"), l.text("逾期未完成", "Overdue"), ReportTitles.dueNextMonth(period, l)]
    }

    static func regionFigures(_ r: MonthlySchedule.RegionFigures) -> [String] {
        [r.figures.tasksTotal, r.figures.tasksClosed, r.figures.tasksAccepted, r.figures.tasksOverdue, r.figures.tasksDueNextMonth]
            .map(String.init)
    }
}
