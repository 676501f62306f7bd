import Foundation
import RectifyDomain
import RectifyLedger
import RectifyReports

/// The bodies of the province's pages: the overview by city with the last twelve months, the
/// acceptance queue, the deadline extension form, and the month's reports.
enum DeskProvincePages {
    /// 总览: each city's tasks, closed, overdue and not reported, and the tasks closed in each
    /// of the last twelve months as an SVG bar chart.
    static func overview(
        _ places: [DeskTasks.Place], closed: [(period: Period, closed: Int)], period: Period, language l: DeskLanguage
    ) -> String {
        let e = HTMLText.escape
        var html = "<p class=\"muted\">\(l.t("报送月份", "Reporting month")): <strong>\(l.period(period))</strong></p>"
        html += "<section><h2>\(l.t("近十二个月销号任务数", "Tasks closed in the last twelve months"))</h2>\(chart(closed, l))</section>"
        html += "<section><h2>\(l.t("各市情况", "By city"))</h2><table><thead><tr><th>\(l.t("地区", "Place"))</th>"
        html += "<th class=\"num\">\(l.t("任务", "Tasks"))</th><th class=\"num\">\(l.t("已销号", "Closed"))</th>"
        html += "<th class=\"num\">\(l.t("逾期", "Overdue"))</th><th class=\"num\">\(l.t("未报送", "Not reported"))</th></tr></thead><tbody>"
        for place in places {
            html += "<tr><td>\(e(place.name))</td><td class=\"num\">\(place.tasks)</td><td class=\"num\">\(place.closed)</td>"
            html += "<td class=\"num\(place.overdue > 0 ? " overdue" : "")\">\(place.overdue)</td>"
            html += "<td class=\"num\(place.notReported > 0 ? " overdue" : "")\">\(place.notReported)</td></tr>"
        }
        return html + "</tbody></table></section>"
    }

    /// Bars of tasks closed per month, labelled with the month and the count; scales to any width.
    static func chart(_ months: [(period: Period, closed: Int)], _ l: DeskLanguage) -> String {
        let top = max(months.map(\.closed).max() ?? 0, 1)
        let (width, height, bar) = (720, 220, 60)
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(l.t("近十二个月销号任务数", "Tasks closed per month"))\">"
        for (index, month) in months.enumerated() {
            let x = index * bar + 8
            let barHeight = Int(Double(month.closed) / Double(top) * 150)
            let y = 180 - barHeight
            svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(bar - 16)\" height=\"\(max(barHeight, 1))\" fill=\"#9f1c1c\"><title>\(l.period(month.period)): \(month.closed)</title></rect>"
            svg += "<text x=\"\(x + (bar - 16) / 2)\" y=\"\(y - 6)\" text-anchor=\"middle\" font-size=\"14\">\(month.closed)</text>"
            svg += "<text x=\"\(x + (bar - 16) / 2)\" y=\"200\" text-anchor=\"middle\" font-size=\"13\" fill=\"#5f6673\">\(month.period.month)\(l.t("月", ""))</text>"
        }
        return svg + "<line x1=\"0\" y1=\"180.5\" x2=\"\(width)\" y2=\"180.5\" stroke=\"#8a919e\"/></svg>"
    }

    /// 待验收: each task waiting for the province with what its unit reported last and the
    /// accept and reject forms.
    static func acceptance(
        _ rows: [DeskTasks.Row], latest: [String: SubmittedProgress], csrf: String, message: String, language l: DeskLanguage
    ) -> String {
        let e = HTMLText.escape
        var html = message
        guard !rows.isEmpty else { return html + "<p class=\"muted\">\(l.t("没有待验收的任务。", "No task is waiting for acceptance."))</p>" }
        html += "<p class=\"muted\">\(l.t("共 \(rows.count) 项待验收", "\(rows.count) tasks waiting"))</p><ul class=\"tasks\">"
        for row in rows {
            html += "<li><a class=\"title\" href=\"/desk/tasks/\(DeskForm.encode(row.id))\">\(e(row.title))</a><div class=\"facts\">"
            html += "<span>\(e(row.leadUnitName))</span><span>\(l.t("进度", "Progress")) \(row.progress)%</span>"
            html += "<span>\(l.t("时限", "Deadline")) \(l.day(row.deadline))</span></div>"
            if let last = latest[row.id] {
                html += "<p>\(e(last.summary).replacingOccurrences(of: "\n", with: "<br>"))</p>"
                html += "<p class=\"muted\">\(l.period(last.period)) · \(e(last.submittedBy))"
                if !last.evidence.isEmpty {
                    let links = last.evidence.map { "<a href=\"/desk/evidence/\($0.sha256)\">\(e($0.name))</a>" }
                    html += " · \(l.t("佐证材料", "Evidence")): \(links.joined(separator: "、"))"
                }
                html += "</p>"
            }
            let action = "/desk/tasks/\(DeskForm.encode(row.id))/decision"
            html += DeskLayout.form(action: action, csrf: csrf, content: """
                <label for="note-\(e(row.id))">\(l.t("意见（退回时必填）", "Note (needed to send back)"))</label>
                <textarea id="note-\(e(row.id))" name="note" maxlength="4000" style="min-height:3em"></textarea>
                <p><button name="decision" value="accept">\(l.t("验收通过，进入公示", "Accept and open the public notice"))</button>
                <button name="decision" value="reject" class="secondary">\(l.t("退回整改", "Send back"))</button></p>
                """)
            html += "</li>"
        }
        return html + "</ul>"
    }

    /// The province's 延期 form on a task's page.
    static func extensionForm(task: String, deadline: String, csrf: String, language l: DeskLanguage) -> String {
        let content = """
            <label for="to">\(l.t("新的完成时限（晚于 \(HTMLText.escape(deadline))）", "New deadline (after \(HTMLText.escape(deadline)))"))</label>
            <input id="to" name="to" type="date" required min="\(HTMLText.escape(deadline))">
            <label for="reason">\(l.t("延期理由", "Reason"))</label>
            <textarea id="reason" name="reason" maxlength="4000" required style="min-height:3em"></textarea>
            <label for="document">\(l.t("批准文号（选填）", "Document number (optional)"))</label>
            <input id="document" name="document" maxlength="200">
            <p><button class="secondary">\(l.t("批准延期", "Extend the deadline"))</button></p>
            """
        return "<section><h2>\(l.t("延期", "Extend the deadline"))</h2>"
            + DeskLayout.form(action: "/desk/tasks/\(DeskForm.encode(task))/extension", csrf: csrf, content: content) + "</section>"
    }

    /// The month's reports, drafts and issued, newest month first, to read, download and issue.
    static func reports(_ reports: [StoredReport], today: Day, csrf: String, message: String, language l: DeskLanguage) -> String {
        let e = HTMLText.escape
        var html = message
        guard !reports.isEmpty else { return html + "<p class=\"muted\">\(l.t("尚无报告。", "No reports yet."))</p>" }
        let language: ReportLanguage = l == .zh ? .zh : .en
        for period in Set(reports.map(\.period)).sorted(by: >) {
            html += "<section><h2>\(Period(period).map(l.period) ?? e(period))</h2><ul class=\"tasks\">"
            for report in reports.filter({ $0.period == period }).sorted(by: { ($0.kind, $0.id) < ($1.kind, $1.id) }) {
                html += "<li><a class=\"title\" href=\"/desk/reports/\(report.id)\">\(e(ReportTitles.title(report.kind, report.period, language)))</a><div class=\"facts\">"
                if let issue = report.issue {
                    html += "<span class=\"badge closed\">\(l.t("已签发", "issued"))</span><span>\(l.day(issue.issuedOn))</span>"
                    if let number = issue.number { html += "<span>\(e(number))</span>" }
                    if report.replacedBy != nil { html += "<span class=\"muted\">\(l.t("已被重新签发的文件替代", "replaced by a reissue"))</span>" }
                } else {
                    html += "<span class=\"badge pending_acceptance\">\(l.t("拟稿", "draft"))</span>"
                }
                html += ReportRendering.formats(of: report.kind).map { format in
                    "<a href=\"/desk/reports/\(report.id)/download/\(format.rawValue)\">\(format.rawValue.uppercased())</a>"
                }.joined(separator: " ")
                html += "</div>"
                if report.isDraft {
                    html += DeskLayout.form(action: "/desk/reports/\(report.id)/issue", csrf: csrf, content: """
                        <label>\(l.t("成文日期", "Date of issue")) <input type="date" name="on" value="\(today)" max="\(today)" required style="width:auto"></label>
                        <p><button>\(l.t("签发", "Issue"))</button></p>
                        """)
                }
                html += "</li>"
            }
            html += "</ul></section>"
        }
        return html
    }
}
