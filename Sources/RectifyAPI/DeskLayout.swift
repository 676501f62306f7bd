import Foundation
import RectifyAccounts
import RectifyLedger
import RectifyReports

/// The desk's page shell: the header with the person, their office and the way around, the
/// language switch, and one stylesheet that reads on a 375-px phone as on a desktop and prints.
/// Server-rendered, no JavaScript.
enum DeskLayout {
    /// What every page's frame needs to know.
    struct Chrome {
        var language: DeskLanguage
        /// The signed-in person's session, if any.
        var session: Session?
        /// Notices unread in the office's inbox (shown beside 收件箱).
        var unread = 0
        /// This page's path, to come back to after switching language.
        var path = "/desk"
    }

    /// A whole page.
    static func page(_ title: String, chrome: Chrome, body: String) -> String {
        let l = chrome.language
        let e = HTMLText.escape
        var header = "<header><div class=\"brand\"><a href=\"/desk\">\(l.t("督察整改调度平台", "Rectification desk"))</a></div>"
        if let session = chrome.session {
            let person = session.person
            header += "<div class=\"who\">\(e(person.name)) · \(e(person.office.name))</div><nav>"
            if person.office.isOps {
                header += "<a href=\"/ops\">\(l.t("运维", "Ops"))</a>"
            } else {
                if person.office.isProvince {
                    header += "<a href=\"/desk/overview\">\(l.t("总览", "Overview"))</a>"
                }
                header += "<a href=\"/desk\">\(l.t("我的整改任务", "My tasks"))</a>"
                if person.office.isProvince {
                    header += "<a href=\"/desk/acceptance\">\(l.t("待验收", "Acceptance"))</a>"
                    header += "<a href=\"/desk/notices\">\(l.t("公示", "Notices"))</a>"
                    header += "<a href=\"/desk/reports\">\(l.t("报告", "Reports"))</a>"
                }
                let count = chrome.unread > 0 ? " <span class=\"count\">\(chrome.unread)</span>" : ""
                header += "<a href=\"/desk/inbox\">\(l.t("收件箱", "Inbox"))\(count)</a>"
            }
            header += form(action: "/desk/signout", csrf: session.csrfToken, inline: true,
                           content: "<button class=\"link\">\(l.t("退出", "Sign out"))</button>")
            header += "</nav>"
        }
        let other: DeskLanguage = l == .zh ? .en : .zh
        header += "<div class=\"lang\"><a href=\"/desk/lang/\(other.rawValue)?back=\(DeskForm.encode(chrome.path))\">"
        header += "\(other == .en ? "English" : "中文")</a></div></header>"
        return """
            <!doctype html>
            <html lang="\(l == .zh ? "zh-CN" : "en")"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(title)) · \(l.t("督察整改", "rectify"))</title><style>\(style)</style></head>
            <body>\(header)<main><h1>\(e(title))</h1>\(body)</main></body></html>
            """
    }

    /// A POST form carrying the CSRF token.
    static func form(action: String, csrf: String, inline: Bool = false, attributes: String = "", content: String) -> String {
        "<form method=\"post\" action=\"\(HTMLText.escape(action))\"\(inline ? " class=\"inline\"" : "")\(attributes)>"
            + "<input type=\"hidden\" name=\"csrf\" value=\"\(HTMLText.escape(csrf))\">\(content)</form>"
    }

    /// A message box: `notice` (done), `error` (refused).
    static func message(_ text: String, kind: String = "notice") -> String {
        "<p class=\"\(kind)\" role=\"\(kind == "error" ? "alert" : "status")\">\(HTMLText.escape(text))</p>"
    }

    static let style = """
        *{box-sizing:border-box}
        body{margin:0;background:#f5f6f8;color:#1d2330;font:16px/1.55 system-ui,-apple-system,"Noto Sans CJK SC","Microsoft YaHei",sans-serif}
        header{background:#9f1c1c;color:#fff;padding:10px 16px;display:flex;flex-wrap:wrap;align-items:center;gap:6px 16px}
        header a{color:#fff}.brand a{font-weight:700;text-decoration:none;font-size:17px}
        .who{font-size:14px;opacity:.9}nav{display:flex;flex-wrap:wrap;gap:4px 14px;align-items:center}
        .lang{margin-left:auto;font-size:14px}.count{background:#fff;color:#9f1c1c;border-radius:9px;padding:0 6px;font-size:12px;font-weight:700}
        main{max-width:1100px;margin:0 auto;padding:12px 16px 40px}
        h1{font-size:21px;margin:8px 0 12px}h2{font-size:17px;margin:22px 0 8px}
        section,.card{background:#fff;border:1px solid #dcdfe5;border-radius:6px;padding:10px 14px;margin:10px 0}
        a{color:#174ea6}p{margin:6px 0}section>h2:first-child{margin-top:4px}
        .notice{background:#e8f5e9;border:1px solid #9ccc9f;padding:8px 12px;border-radius:4px}
        .error{background:#fdecea;border:1px solid #f0a39b;color:#8a1c12;padding:8px 12px;border-radius:4px}
        .muted{color:#5f6673;font-size:14px}.overdue{color:#b42318;font-weight:600}.ok{color:#05603a}
        .badge{display:inline-block;padding:0 8px;border-radius:10px;font-size:13px;background:#eef0f4;white-space:nowrap}
        .badge.in_progress{background:#e0ecff}.badge.pending_acceptance{background:#fff3cd}.badge.accepted{background:#e6f4ea}
        .badge.closed{background:#d7f0dd}.badge.not_started{background:#f2e6e6}
        ul.tasks{list-style:none;margin:0;padding:0}ul.tasks>li{background:#fff;border:1px solid #dcdfe5;border-radius:6px;padding:10px 14px;margin:8px 0}
        ul.tasks .title{font-weight:600;display:block;overflow-wrap:anywhere}
        .facts{display:flex;flex-wrap:wrap;gap:2px 14px;font-size:14px;color:#3c4350}
        form.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:end;margin:8px 0}
        label{display:block;font-size:14px;color:#3c4350;margin:8px 0 2px}
        input,select,textarea{font:inherit;width:100%;max-width:100%;padding:8px;border:1px solid #b9bfca;border-radius:4px;background:#fff}
        form.filters label{margin:0}form.filters select,form.filters input{width:auto;min-width:8em}
        label.check{display:inline-flex;align-items:center;gap:6px;min-height:40px}label.check input{width:18px;height:18px;min-width:0;margin:0}
        textarea{min-height:7em}
        button{font:inherit;padding:8px 18px;border:0;border-radius:4px;background:#9f1c1c;color:#fff;cursor:pointer}
        button.secondary{background:#fff;color:#1d2330;border:1px solid #8a919e}
        button.link{background:none;color:#fff;padding:0;text-decoration:underline}
        form.inline{display:inline}
        ol.history{padding-left:20px}ol.history li{margin:6px 0;overflow-wrap:anywhere}
        table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px;border-bottom:1px solid #e6e8ec;vertical-align:top}
        .narrow{max-width:420px}.num{text-align:right;font-variant-numeric:tabular-nums}
        details summary{cursor:pointer;color:#174ea6;margin:6px 0}
        svg.chart{width:100%;height:auto;max-width:720px;display:block}
        @media print{header,form,nav,.lang{display:none}body{background:#fff}section,.card,ul.tasks>li{border:0;padding:0}}
        """
}
