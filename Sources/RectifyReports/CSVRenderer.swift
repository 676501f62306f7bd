import Foundation

/// The schedule and the notice as CSV: one row per scope or per named task. In English the
/// headers are the SPEC's figure names, for scripts; in Chinese, an office's labels.
public enum CSVRenderer {
    /// One row for the whole province, one per round, one per city and county.
    public static func schedule(_ report: MonthlySchedule, period: String, language l: ReportLanguage) -> String {
        let header = [l.text("期间", "period"), l.text("范围", "scope"), l.text("名称", "name"), l.text("任务", "tasks_total"),
                      l.text("已销号", "tasks_closed"), l.text("已验收", "tasks_accepted"), l.text("待验收", "tasks_pending_acceptance"),
                      l.text("推进中", "tasks_in_progress"), l.text("未启动", "tasks_not_started"), l.text("逾期", "tasks_overdue"),
                      l.text("下月到期", "tasks_due_next_month"), l.text("信访件", "petitions_total"),
                      l.text("未报送单位", "offices_not_reported")]
        func row(_ scope: String, _ name: String, _ t: MonthlySchedule.TaskFigures, _ petitions: String, _ silent: String) -> [String] {
            [period, scope, name] + [t.tasksTotal, t.tasksClosed, t.tasksAccepted, t.tasksPendingAcceptance, t.tasksInProgress,
                                     t.tasksNotStarted, t.tasksOverdue, t.tasksDueNextMonth].map(String.init) + [petitions, silent]
        }
        let o = report.overall
        var rows = [header, row(l.text("全省", "all"), "", o.tasks, "\(o.petitionsTotal)", "\(o.officesNotReported)")]
        rows += report.byRound.map { row($0.round, "", $0.figures.tasks, "\($0.figures.petitionsTotal)", "\($0.figures.officesNotReported)") }
        rows += report.byRegion.map { row($0.region, $0.name, $0.figures, "", "") }
        return CSVText.lines(rows)
    }

    /// One row per named task and reason.
    public static func notice(_ notice: NameAndShame, period: String, language l: ReportLanguage) -> String {
        let header = [l.text("期间", "period"), l.text("单位代码", "unit"), l.text("单位", "unit_name"), l.text("地区", "region"),
                      l.text("任务", "task"), l.text("原因", "reason"), l.text("逾期天数", "days_overdue"), l.text("等级", "level")]
        return CSVText.lines([header] + notice.named.map {
            [period, $0.unit, $0.unitName, $0.region, $0.task, $0.reason.rawValue, "\($0.daysOverdue)", $0.level.rawValue]
        })
    }
}

/// CSV lines with CRLF endings and quoting where a field needs it (RFC 4180).
enum CSVText {
    static func lines(_ rows: [[String]]) -> String {
        rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
