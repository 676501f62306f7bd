import Foundation
import RectifyDomain
import RectifyLedger
import RectifyReports

/// The bodies of the desk's task pages: the office's tasks, a task with its history, and the
/// inbox. Names, never ids, in what people read; tasks keep their ledger number as a reference.
enum DeskTaskPages {
    /// 我的整改任务: filters, the offices below that have not reported (city, province), and the tasks.
    static func list(
        _ rows: [DeskTasks.Row], silent: [DeskTasks.Silent], filter: DeskTasks.Filter, period: Period, office: Office,
        language l: DeskLanguage
    ) -> String {
        let e = HTMLText.escape
        let overdue = rows.filter { $0.daysOverdue != nil }.count
        let unreported = rows.filter { !$0.reported && ($0.status == .notStarted || $0.status == .inProgress) }.count
        var html = "<p class=\"muted\">\(e(office.name)) · \(l.t("报送月份", "Reporting month")): <strong>\(l.period(period))</strong> · "
        html += l.t("共 \(rows.count) 项，逾期 \(overdue) 项，本月未报送 \(unreported) 项", "\(rows.count) tasks, \(overdue) overdue, \(unreported) not reported this month")
        html += "</p>"
        let statusOptions = [("", l.t("全部状态", "Any status"))] + TaskStatus.allCases.map { ($0.rawValue, l.status($0)) }
        html += "<form class=\"filters\" method=\"get\" action=\"/desk\">"
        html += "<label>\(l.t("状态", "Status")) <select name=\"status\">"
        html += statusOptions.map { value, label in
            "<option value=\"\(value)\"\(filter.status?.rawValue == value ? " selected" : "")>\(label)</option>"
        }.joined()
        html += "</select></label>"
        html += "<label class=\"check\"><input type=\"checkbox\" name=\"overdue\" value=\"1\"\(filter.overdueOnly ? " checked" : "")>\(l.t("仅逾期", "Overdue only"))</label>"
        html += "<label class=\"check\"><input type=\"checkbox\" name=\"unreported\" value=\"1\"\(filter.notReportedOnly ? " checked" : "")>\(l.t("仅未报送", "Not reported only"))</label>"
        html += "<label>\(l.t("搜索", "Search")) <input name=\"q\" value=\"\(e(filter.search ?? ""))\" maxlength=\"100\"></label>"
        html += "<button class=\"secondary\">\(l.t("筛选", "Filter"))</button></form>"
        if !silent.isEmpty {
            html += "<section><h2>\(l.t("本月未报送的单位", "Offices that have not reported this month"))</h2><ul>"
            html += silent.map { "<li>\(e($0.officeName))（\(e($0.regionName))）：\(l.t("\($0.tasks) 项任务未报送", "\($0.tasks) tasks unreported"))</li>" }.joined()
            html += "</ul></section>"
        }
        guard !rows.isEmpty else { return html + "<p class=\"muted\">\(l.t("没有符合条件的任务。", "No tasks match."))</p>" }
        html += "<ul class=\"tasks\">"
        for row in rows {
            html += "<li><a class=\"title\" href=\"/desk/tasks/\(DeskForm.encode(row.id))\">\(e(row.title))</a><div class=\"facts\">"
            html += "<span class=\"badge \(row.status.rawValue)\">\(l.status(row.status))</span>"
            html += "<span>\(l.t("进度", "Progress")) \(row.progress)%</span>"
            html += "<span>\(l.t("时限", "Deadline")) \(l.day(row.deadline))</span>"
            if let days = row.daysOverdue { html += "<span class=\"overdue\">\(l.t("逾期 \(days) 天", "\(days) days overdue"))</span>" }
            if row.status == .notStarted || row.status == .inProgress {
                html += row.reported
                    ? "<span class=\"ok\">\(l.t("本月已报送", "reported this month"))</span>"
                    : "<span class=\"overdue\">\(l.t("本月未报送", "not reported this month"))</span>"
            }
            html += "<span>\(e(row.leadUnitName))</span><span class=\"muted\">\(e(row.id))</span></div></li>"
        }
        return html + "</ul>"
    }

    /// A task's page: where it stands, the form to report on it, its submissions, the notices
    /// that named it and its history.
    static func task(
        _ task: TaskDirectory.Summary, history: [TaskHistory.Entry], submissions: [SubmittedProgress], namings: [OfficeInbox.Naming],
        form: String, message: String, zone: TimeZone, language l: DeskLanguage
    ) -> String {
        let e = HTMLText.escape
        let status = TaskStatus(rawValue: task.status).map(l.status) ?? task.status
        var html = message + "<section><div class=\"facts\">"
        html += "<span class=\"badge \(e(task.status))\">\(status)</span><span>\(l.t("进度", "Progress")) \(task.progress)%</span>"
        html += "<span>\(l.t("时限", "Deadline")) \(Day(task.deadline).map(l.day) ?? e(task.deadline))</span>"
        if task.overdue { html += "<span class=\"overdue\">\(l.t("已逾期", "overdue"))</span>" }
        html += "</div><p>\(l.t("责任单位", "Lead unit")): \(e(task.leadUnitName)) · \(e(task.regionName))</p>"
        html += "<p class=\"muted\">\(l.t("任务编号", "Task number")) \(e(task.id)) · \(categoryName(task.category, l))</p></section>"
        html += form
        html += "<section><h2>\(l.t("报送记录", "Progress reported"))</h2>"
        if submissions.isEmpty {
            html += "<p class=\"muted\">\(l.t("尚无报送。", "Nothing reported yet."))</p>"
        } else {
            html += "<ol class=\"history\">" + submissions.map { item in
                var line = "<li><strong>\(l.period(item.period))</strong> \(item.progress)% · \(l.status(item.status)) · \(e(item.submittedBy))"
                line += "<br>\(e(item.summary).replacingOccurrences(of: "\n", with: "<br>"))"
                if !item.evidence.isEmpty {
                    let links = item.evidence.map { "<a href=\"/desk/evidence/\($0.sha256)\">\(e($0.name))</a>" }
                    line += "<br><span class=\"muted\">\(l.t("佐证材料", "Evidence")): \(links.joined(separator: "、"))</span>"
                }
                return line + "</li>"
            }.joined() + "</ol>"
        }
        html += "</section>"
        if !namings.isEmpty {
            html += "<section><h2>\(l.t("被点名通报", "Named in notices"))</h2><ul>" + namings.map { naming in
                "<li>\(Period(naming.period).map(l.period) ?? e(naming.period)) · \(levelName(naming.level, l))\(naming.number.map { " · " + e($0) } ?? "")</li>"
            }.joined() + "</ul></section>"
        }
        html += "<section><h2>\(l.t("变更记录", "History"))</h2><ol class=\"history\">"
        html += history.reversed().map { entry in "<li>\(historyLine(entry, zone, l))</li>" }.joined()
        return html + "</ol></section>"
    }

    /// The inbox: each notice with its level, month, unit and tasks (by title), and a button to mark it read.
    static func inbox(
        _ notices: [OfficeInbox.Notification], titles: [String: String], csrf: String, language l: DeskLanguage
    ) -> String {
        let e = HTMLText.escape
        guard !notices.isEmpty else { return "<p class=\"muted\">\(l.t("收件箱是空的。", "The inbox is empty."))</p>" }
        return "<ul class=\"tasks\">" + notices.map { notice in
            var html = "<li><span class=\"title\">\(kindName(notice.kind, level: notice.level, l))"
            html += notice.read ? "" : " <span class=\"badge pending_acceptance\">\(l.t("未读", "unread"))</span>"
            html += "</span><div class=\"facts\"><span>\(Period(notice.period).map(l.period) ?? e(notice.period))</span>"
            if let unit = notice.unitName { html += "<span>\(e(unit))</span>" }
            let tasks = taskIDs(notice.tasksJSON)
            html += "<span>\(l.t("涉及 \(tasks.count) 项任务", "\(tasks.count) tasks"))</span></div><ul>"
            html += tasks.map { "<li><a href=\"/desk/tasks/\(DeskForm.encode($0))\">\(e(titles[$0] ?? $0))</a></li>" }.joined() + "</ul>"
            if !notice.read {
                html += DeskLayout.form(action: "/desk/inbox/\(notice.id)/read", csrf: csrf,
                                        content: "<button class=\"secondary\">\(l.t("标为已读", "Mark read"))</button>")
            }
            return html + "</li>"
        }.joined() + "</ul>"
    }

    /// The ids of the tasks a notice lists.
    static func taskIDs(_ json: String) -> [String] {
        guard let items = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] else { return [] }
        return items.compactMap { $0["task"] as? String }
    }

    private static func kindName(_ kind: String, level: String?, _ l: DeskLanguage) -> String {
        switch kind {
        case "named": l.t("点名通报", "Named in the notice") + "（\(levelName(level, l))）"
        case "due_next_month": l.t("临期预警：下月到期的任务", "Due next month")
        case "not_reported": l.t("未报送提醒", "Not reported")
        default: HTMLText.escape(kind)
        }
    }

    private static func categoryName(_ category: String, _ l: DeskLanguage) -> String {
        switch category {
        case "air": l.t("大气", "air")
        case "water": l.t("水", "water")
        case "soil": l.t("土壤", "soil")
        case "solid_waste": l.t("固体废物", "solid waste")
        case "ecology": l.t("生态", "ecology")
        case "climate": l.t("应对气候变化", "climate")
        default: l.t("其他", "other")
        }
    }

    private static func levelName(_ level: String?, _ l: DeskLanguage) -> String {
        switch level {
        case "reminder": l.t("提醒", "reminder")
        case "warning": l.t("预警", "warning")
        case "public_notice": l.t("通报批评", "public criticism")
        default: l.t("点名", "named")
        }
    }

    private static func historyLine(_ entry: TaskHistory.Entry, _ zone: TimeZone, _ l: DeskLanguage) -> String {
        let e = HTMLText.escape
        let change = entry.change
        let formatter = DateFormatter()
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        var parts: [String] = []
        if let old = change.status.old, let new = change.status.new { parts.append("\(l.status(old)) → \(l.status(new))") }
        if let new = change.progress.new { parts.append("\(change.progress.old.map { "\($0)%" } ?? "") → \(new)%") }
        if let new = change.deadline.new { parts.append("\(l.t("时限", "deadline")) \(change.deadline.old.map(l.day) ?? "") → \(l.day(new))") }
        var line = "<span class=\"muted\">\(formatter.string(from: entry.changedAt))</span> \(sourceName(change.source, l)) · \(e(change.actor))"
        if !parts.isEmpty { line += "：" + parts.joined(separator: "，") }
        if !change.note.isEmpty { line += "<br>\(e(change.note))" }
        return line
    }

    private static func sourceName(_ source: TaskChange.Source, _ l: DeskLanguage) -> String {
        switch source {
        case .submission: l.t("报送进展", "progress")
        case .acceptance: l.t("验收通过", "accepted")
        case .rejection: l.t("验收退回", "sent back")
        case .objection: l.t("公示异议", "objection")
        case .publicNotice: l.t("公示期满销号", "closed after public notice")
        case .deadlineExtension: l.t("延期", "deadline extended")
        case .import: l.t("台账导入", "ledger import")
        }
    }
}
