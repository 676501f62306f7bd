/// The name-and-shame notice (点名通报) in Markdown.
public enum NoticeRenderer {
    /// The named units, most severe level first, with their tasks and reasons.
    public static func markdown(_ notice: NameAndShame, period: String, language l: ReportLanguage) -> String {
        var lines = ["# " + title(period, l), "", lead(notice, l)]
        for section in sections(notice, l) {
            lines += ["", "## " + section.title, "", "| " + columns(l).joined(separator: " | ") + " |", "| --- | --- | --- | ---: |"]
            lines += section.rows.map { "| " + $0.joined(separator: " | ") + " |" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func title(_ period: String, _ l: ReportLanguage) -> String {
        l.text("整改工作点名通报（\(period)）", "Name-and-shame notice, \(period)")
    }

    static func lead(_ notice: NameAndShame, _ l: ReportLanguage) -> String {
        l.text("被点名单位 \(notice.unitsNamed) 家，涉及整改任务 \(notice.tasksNamed) 项。",
               "\(notice.unitsNamed) units named for \(notice.tasksNamed) tasks.")
    }

    static func columns(_ l: ReportLanguage) -> [String] {
        [l.text("单位", "Unit"), l.text("任务", "Task"), l.text("原因", "Reason"), l.text("逾期天数", "Days overdue")]
    }

    /// One section per level that names anyone, most severe first: its title (with the number
    /// of units) and a row per named task and reason.
    static func sections(_ notice: NameAndShame, _ l: ReportLanguage) -> [(title: String, rows: [[String]])] {
        [NameAndShame.Level.publicNotice, .warning, .reminder].compactMap { level in
            let entries = notice.named.filter { $0.level == level }
            guard !entries.isEmpty else { return nil }
            return ("\(l.name(of: level))（\(Set(entries.map(\.unit)).count)）", entries.map {
                [$0.unitName, $0.task, l.name(of: $0.reason), $0.reason == .overdue ? "\($0.daysOverdue)" : ""]
            })
        }
    }
}
