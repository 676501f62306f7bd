/// The name-and-shame notice (点名通报) in Markdown.
public enum NoticeRenderer {
    /// The named units, most severe level first, with their tasks and reasons.
    public static func markdown(_ notice: NameAndShame, period: String, language: ReportLanguage) -> String {
        let l = language
        let levelName: [NameAndShame.Level: (String, String)] = [
            .publicNotice: ("通报", "Public notice"), .warning: ("预警", "Warning"), .reminder: ("提醒", "Reminder"),
        ]
        let reasonName: [NameAndShame.Reason: (String, String)] = [
            .overdue: ("逾期未完成", "overdue"), .notReported: ("本月未报送进展", "not reported"), .stalled: ("进展停滞", "stalled"),
        ]
        var lines = [
            "# " + l.text("整改工作点名通报（\(period)）", "Name-and-shame notice, \(period)"), "",
            l.text("被点名单位 \(notice.unitsNamed) 家，涉及整改任务 \(notice.tasksNamed) 项。",
                   "\(notice.unitsNamed) units named for \(notice.tasksNamed) tasks."),
        ]
        for level in [NameAndShame.Level.publicNotice, .warning, .reminder] {
            let entries = notice.named.filter { $0.level == level }
            guard !entries.isEmpty else { continue }
            lines += ["", "## " + l.pick(levelName[level])! + "（\(Set(entries.map(\.unit)).count)）", "",
                      "| \(l.text("单位", "Unit")) | \(l.text("任务", "Task")) | \(l.text("原因", "Reason")) | \(l.text("逾期天数", "Days overdue")) |",
                      "| --- | --- | --- | ---: |"]
            lines += entries.map { "| \($0.unitName) | \($0.task) | \(l.pick(reasonName[$0.reason])!) | \($0.reason == .overdue ? String($0.daysOverdue) : "") |" }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
