import Foundation

/// The schedule and the notice as CSV: one row per scope or per named task. In English the
/// headers and values are the SPEC's names, for scripts; in Chinese, an office's labels and
/// words (逾期未完成, 提醒), with names beside the codes, after a byte order mark so that Excel
/// opens the file as UTF-8.
public enum CSVRenderer {
    /// One row for the whole province, one per round, one per city and county; petitions and
    /// offices not reported on the province's and rounds' rows.
    public static func schedule(_ report: MonthlySchedule, period: String, language l: ReportLanguage) -> String {
        let taskColumns = [l.text("整改任务", "tasks_total"), l.text("已销号", "tasks_closed"), l.text("已验收、公示中", "tasks_accepted"),
                           l.text("待验收", "tasks_pending_acceptance"), l.text("正在推进", "tasks_in_progress"),
                           l.text("已过时限待验收", "tasks_pending_acceptance_past_deadline"), l.text("未启动", "tasks_not_started"),
                           l.text("逾期未完成", "tasks_overdue"), l.text("次月到期", "tasks_due_next_month"),
                           l.text("本月新增销号", "tasks_closed_in_period"), l.text("本月新增逾期", "tasks_newly_overdue")]
        let header = [l.text("月份", "period"), l.text("范围", "scope"), l.text("名称", "name")] + taskColumns
            + [l.text("信访件", "petitions_total"), l.text("信访件已办结", "petitions_closed"), l.text("阶段性办结", "petitions_closed_in_stages"),
               l.text("未办结", "petitions_open"), l.text("未按时报送进展的地区", "offices_not_reported"),
               l.text("未按时报送进展的单位", "units_not_reported")]
        let month = l == .zh ? l.period(period) : period
        func row(_ scope: String, _ name: String, _ t: MonthlySchedule.TaskFigures, _ rest: [String]) -> [String] {
            [month, scope, name] + MonthlySchedule.TaskFigures.fields.map { String(t[keyPath: $0]) } + rest
        }
        func rest(_ f: MonthlySchedule.Figures) -> [String] {
            [f.petitionsTotal, f.petitionsClosed, f.petitionsClosedInStages, f.petitionsOpen, f.officesNotReported, f.unitsNotReported]
                .map(String.init)
        }
        var rows = [header, row(l.text("全省", "all"), "", report.overall.tasks, rest(report.overall))]
        rows += report.byRound.map { row($0.round, $0.name, $0.figures.tasks, rest($0.figures)) }
        rows += report.byRegion.map { row($0.region, $0.name, $0.figures, ["", "", "", "", "", ""]) }
        return CSVText.lines(rows, for: l)
    }

    /// One row per named task and reason, by city, with the unit's and task's names. In Chinese a
    /// task named for another reason than being overdue has no days overdue, as in the notice.
    public static func notice(_ notice: NameAndShame, period: String, language l: ReportLanguage) -> String {
        let header = [l.text("月份", "period"), l.text("所在市", "city"), l.text("单位代码", "unit"), l.text("单位", "unit_name"),
                      l.text("地区代码", "region"), l.text("地区", "region_name"), l.text("任务编号", "task"),
                      l.text("整改任务", "task_title"), l.text("整改时限", "deadline"), l.text("延期前时限", "original_deadline"),
                      l.text("点名原因", "reason"),
                      l.text("逾期天数", "days_overdue"), l.text("点名等级", "level")]
        let month = l == .zh ? l.period(period) : period
        let rows = [header] + notice.named.map {
            [month, NoticeDocument.group(of: $0, l), $0.unit, $0.unitName, $0.region, $0.regionName, $0.task, $0.taskTitle, $0.deadline, $0.originalDeadline ?? "",
             l == .zh ? l.name(of: $0.reason) : $0.reason.rawValue, l == .zh && $0.reason != .overdue ? "" : "\($0.daysOverdue)",
             l == .zh ? l.name(of: $0.level) : $0.level.rawValue]
        }
        return CSVText.lines(rows, for: l)
    }
}

/// CSV lines with CRLF endings and quoting where a field needs it (RFC 4180).
enum CSVText {
    /// The rows as CSV. In Chinese the text starts with a byte order mark: the offices open
    /// these files in Excel, which reads a CSV without one in the system's code page (GBK on a
    /// Chinese Windows) and garbles every name. The English files, for scripts, have none.
    static func lines(_ rows: [[String]], for language: ReportLanguage) -> String {
        (language == .zh ? "\u{FEFF}" : "") + rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
