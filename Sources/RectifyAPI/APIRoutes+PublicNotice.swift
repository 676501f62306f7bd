import Foundation
import Hummingbird
import RectifyAccounts
import RectifyDomain
import RectifyLedger
import RectifyProgress
import RectifyReports

/// The public notice (公示): `/gongshi` lists the tasks under public notice with the
/// rectification their units reported, and takes objections from the public (name, contact,
/// reason), at most five an hour from one address; the province upholds or dismisses each on
/// `/desk/notices`.
extension APIRoutes {
    func registerPublicNotice(on desk: RouterGroup<APIRequestContext>, routes: RouteRegistry) {
        let objections = PublicObjections(pool: pool)
        let closeOut = CloseOut(pool: pool, publicNotice: settings.publicNotice, timeZone: settings.timeZone)
        let inbox = OfficeInbox(pool: pool)
        desk.get(routes.add(.get, "/gongshi")) { request, context in
            let l = context.language
            let body = PublicNoticePages.list(try await objections.notices(), noticeLength: settings.publicNotice, zone: settings.timeZone, language: l)
            return deskPage((l.t("整改任务公示", "Rectification under public notice"), body), context: context, formToken: request)
        }
        desk.post(routes.add(.post, "/gongshi/{task}/objection")) { request, context in
            let l = context.language
            let fields = try await DeskForm.fields(request)
            let title = l.t("整改任务公示", "Rectification under public notice")
            guard formTokenMatches(request, fields) else {
                return deskPage(title: title, body: DeskLayout.message(
                    l.t("表单已过期，请刷新公示页面后重新提交。", "The form expired; open the notice page again and resend."), kind: "error"),
                    status: .forbidden, context: context)
            }
            let name = (fields["name"] ?? "").trimmingCharacters(in: .whitespaces)
            let contact = (fields["contact"] ?? "").trimmingCharacters(in: .whitespaces)
            let reason = (fields["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...50).contains(name.count), (1...100).contains(contact.count), (1...2000).contains(reason.count),
                  !ControlCharacters.contained(in: name), !ControlCharacters.contained(in: contact), !ControlCharacters.contained(in: reason, lineBreaks: true) else {
                return deskPage(title: title, body: DeskLayout.message(
                    l.t("请填写姓名、联系方式和异议理由（理由不超过 2000 字）。", "Give your name, a contact and the reason (at most 2,000 characters)."),
                    kind: "error") + "<p><a href=\"/gongshi\">\(l.t("返回公示", "Back to the notice"))</a></p>",
                    status: .unprocessableContent, context: context)
            }
            do {
                try await objections.raise(
                    task: Self.taskID(context, "task"), name: name, contact: contact, reason: reason, address: context.clientAddress,
                    notice: settings.publicNotice, timeZone: settings.timeZone)
            } catch let refusal as PublicObjections.Refusal {
                let tooMany = refusal.reason == .tooMany
                var response = deskPage(title: title, body: DeskLayout.message(
                    tooMany ? l.t("提交过于频繁，请一小时后再试。", "Too many objections from this address; try again in an hour.")
                        : l.t("该任务不在公示期内。", "That task is not under public notice."), kind: "error")
                    + "<p><a href=\"/gongshi\">\(l.t("返回公示", "Back to the notice"))</a></p>",
                    status: tooMany ? .tooManyRequests : .notFound, context: context)
                if tooMany { response.headers[.retryAfter] = "3600" }
                return response
            }
            return deskPage(title: title, body: DeskLayout.message(
                l.t("您的异议已收到，省整改办将研究处理。公示期内异议处理完毕前，该任务不予销号。",
                    "Your objection is received; the provincial office will decide on it. The task is not closed while it waits."))
                + "<p><a href=\"/gongshi\">\(l.t("返回公示", "Back to the notice"))</a></p>", context: context)
        }
        desk.get(routes.add(.get, "/desk/notices")) { request, context in
            guard let session = try provincePerson(request, context) else { return provinceOnlyPage(context) }
            let l = context.language
            let message = request.uri.queryParameters["done"] == "1" ? DeskLayout.message(l.t("已处理。", "Decided.")) : ""
            let body = message + PublicNoticePages.province(
                try await objections.notices(), noticeLength: settings.publicNotice, zone: settings.timeZone, csrf: session.csrfToken, language: l)
            return try await deskPage(l.t("公示与异议", "Public notices and objections"), body, context, inbox: inbox)
        }
        desk.post(routes.add(.post, "/desk/objections/{id}/decision")) { request, context in
            guard let session = try provincePerson(request, context) else { return provinceOnlyPage(context) }
            guard let fields = try await sessionForm(request, of: session) else { return expiredForm(context) }
            let l = context.language
            let reason = (fields["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard let decision = fields["decision"], ["uphold", "dismiss"].contains(decision), reason.count <= 2000,
                  !ControlCharacters.contained(in: reason, lineBreaks: true) else {
                return try await refusedPage(l.t("请选择采纳或不予采纳。", "Choose uphold or dismiss."), context, inbox: inbox)
            }
            do {
                try await closeOut.decideObjection(
                    try Self.id(context), uphold: decision == "uphold", reason: reason, by: session.person.office, person: session.person.name)
            } catch let error as ProgressError {
                let text = error.code == .invalidField ? l.t("不予采纳须说明理由。", "A dismissal needs the reason.")
                    : error.code == .notFound ? l.t("该异议不存在或已处理。", "That objection is unknown or decided.") : error.message
                return try await refusedPage(text, context, inbox: inbox)
            }
            return Self.redirect("/desk/notices?done=1")
        }
    }
}
