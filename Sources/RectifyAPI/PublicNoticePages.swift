import Foundation
import RectifyDomain
import RectifyLedger
import RectifyReports

/// The public notice's pages: what the public reads and objects to, and the province's view
/// of the same notices with the objections waiting for its decision. The public page names no
/// one who objected.
enum PublicNoticePages {
    /// `/gongshi`: each task under notice with its rectification, the notice's last day, and
    /// the objection form (its token filled in by the page's form cookie).
    static func list(_ notices: [PublicObjections.Notice], noticeLength: PublicNoticeLength, zone: TimeZone, language l: DeskLanguage) -> String {
        let e = HTMLText.escape
        let intro = l.t(
            "以下整改任务已通过验收，现予公示。对整改情况有异议的，请在公示期内提出，并留下联系方式。",
            "These tasks passed acceptance and are under public notice. If you object to how one was rectified, say so before the notice ends and leave a contact.")
        var html = "<p class=\"muted\">\(intro)</p>"
        guard !notices.isEmpty else { return html + "<p class=\"muted\">\(l.t("目前没有公示中的任务。", "No task is under public notice now."))</p>" }
        html += "<ul class=\"tasks\">"
        for notice in notices {
            html += "<li><span class=\"title\">\(e(notice.title))</span><div class=\"facts\">"
            html += "<span>\(e(notice.leadUnitName))</span><span>\(e(notice.regionName))</span>"
            html += "<span>\(l.t("公示截止", "Notice ends")) \(l.day(lastDay(notice, noticeLength, zone)))</span></div>"
            if !notice.summary.isEmpty {
                html += "<p><strong>\(l.t("整改情况", "Rectification")):</strong> \(e(notice.summary).replacingOccurrences(of: "\n", with: "<br>"))</p>"
            }
            let id = DeskForm.encode(notice.task)
            html += """
                <details><summary>\(l.t("提出异议", "Object"))</summary>
                <form method="post" action="/gongshi/\(id)/objection"><input type="hidden" name="csrf" value="{form-token}">
                <label for="name-\(id)">\(l.t("姓名", "Name"))</label><input id="name-\(id)" name="name" maxlength="50" required autocomplete="name">
                <label for="contact-\(id)">\(l.t("联系方式（电话或邮箱）", "Contact (phone or e-mail)"))</label>
                <input id="contact-\(id)" name="contact" maxlength="100" required>
                <label for="reason-\(id)">\(l.t("异议理由", "Why you object"))</label>
                <textarea id="reason-\(id)" name="reason" maxlength="2000" required></textarea>
                <p><button>\(l.t("提交异议", "Send the objection"))</button></p></form></details>
                """
            html += "</li>"
        }
        return html + "</ul>"
    }

    /// `/desk/notices`: every notice with its last day and the objections waiting, each with
    /// the uphold and dismiss forms.
    static func province(
        _ notices: [PublicObjections.Notice], noticeLength: PublicNoticeLength, zone: TimeZone, csrf: String, language l: DeskLanguage
    ) -> String {
        let e = HTMLText.escape
        guard !notices.isEmpty else { return "<p class=\"muted\">\(l.t("目前没有公示中的任务。", "No task is under public notice now."))</p>" }
        let waiting = notices.reduce(0) { $0 + $1.pending.count }
        var html = "<p class=\"muted\">\(l.t("公示中 \(notices.count) 项，待处理异议 \(waiting) 件", "\(notices.count) under notice, \(waiting) objections waiting"))</p><ul class=\"tasks\">"
        for notice in notices {
            html += "<li><a class=\"title\" href=\"/desk/tasks/\(DeskForm.encode(notice.task))\">\(e(notice.title))</a><div class=\"facts\">"
            html += "<span>\(e(notice.leadUnitName))</span><span>\(l.t("公示截止", "Notice ends")) \(l.day(lastDay(notice, noticeLength, zone)))</span>"
            if !notice.pending.isEmpty {
                html += "<span class=\"overdue\">\(l.t("\(notice.pending.count) 件异议待处理，处理完毕前不予销号", "\(notice.pending.count) objections waiting; not closed until decided"))</span>"
            }
            html += "</div>"
            for objection in notice.pending {
                html += "<div class=\"card\"><p><strong>\(e(objection.name))</strong> · \(e(objection.contact))</p>"
                html += "<p>\(e(objection.reason).replacingOccurrences(of: "\n", with: "<br>"))</p>"
                html += DeskLayout.form(action: "/desk/objections/\(objection.id)/decision", csrf: csrf, content: """
                    <label for="reason-\(objection.id)">\(l.t("处理意见（不予采纳时必填）", "Reason (needed to dismiss)"))</label>
                    <textarea id="reason-\(objection.id)" name="reason" maxlength="2000" style="min-height:3em"></textarea>
                    <p><button name="decision" value="uphold">\(l.t("采纳，退回整改", "Uphold: back to rectification"))</button>
                    <button name="decision" value="dismiss" class="secondary">\(l.t("不予采纳", "Dismiss"))</button></p>
                    """) + "</div>"
            }
            html += "</li>"
        }
        return html + "</ul>"
    }

    /// The notice's last day.
    private static func lastDay(_ notice: PublicObjections.Notice, _ length: PublicNoticeLength, _ zone: TimeZone) -> Day {
        length.end(openedAt: notice.acceptedAt, in: zone).lastDay
    }
}
