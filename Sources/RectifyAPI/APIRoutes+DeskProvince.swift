import Foundation
import Hummingbird
import NIOCore
import RectifyAccounts
import RectifyDomain
import RectifyLedger
import RectifyPostgres
import RectifyProgress
import RectifyReports

/// The province's pages: the overview by city, the acceptance queue and its decisions,
/// deadline extensions, and the month's reports to read, download and issue. Only people of
/// the provincial office reach them.
extension APIRoutes {
    func registerDeskProvince(on desk: RouterGroup<APIRequestContext>, routes: RouteRegistry) {
        let tasks = DeskTasks(pool: pool)
        let closeOut = CloseOut(pool: pool, publicNotice: settings.publicNotice, timeZone: settings.timeZone)
        let store = ReportStore(pool: pool)
        let inbox = OfficeInbox(pool: pool)
        desk.get(routes.add(.get, "/desk/overview")) { request, context in
            guard try provincePerson(request, context) != nil else { return provinceOnlyPage(context) }
            let period = try await reportingPeriod()
            let body = DeskProvincePages.overview(
                try await tasks.overview(period: period, today: today()), closed: try await tasks.closedByMonth(endingWith: period),
                period: period, language: context.language)
            return try await deskPage(context.language.t("全省总览", "Province overview"), body, context, inbox: inbox)
        }
        desk.get(routes.add(.get, "/desk/acceptance")) { request, context in
            guard let session = try provincePerson(request, context) else { return provinceOnlyPage(context) }
            let rows = try await tasks.list(
                for: session.person.office, period: try await reportingPeriod(), today: today(),
                filter: DeskTasks.Filter(status: .pendingAcceptance))
            let latest = try await SubmissionRecords.latest(of: rows.map(\.id), pool: pool)
            let l = context.language
            let message: String = switch request.uri.queryParameters["done"] {
            case "accepted": DeskLayout.message(l.t("已验收通过，任务进入公示。", "Accepted; the public notice is open."))
            case "rejected": DeskLayout.message(l.t("已退回整改。", "Sent back."))
            default: ""
            }
            let body = DeskProvincePages.acceptance(rows, latest: latest, csrf: session.csrfToken, message: message, language: l)
            return try await deskPage(l.t("待验收", "Waiting for acceptance"), body, context, inbox: inbox)
        }
        desk.post(routes.add(.post, "/desk/tasks/{id}/decision")) { request, context in
            guard let session = try provincePerson(request, context) else { return provinceOnlyPage(context) }
            guard let fields = try await sessionForm(request, of: session) else { return expiredForm(context) }
            let id = Self.taskID(context)
            let l = context.language
            let note = (fields["note"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard let decision = fields["decision"].flatMap(CloseOut.Decision.init(rawValue:)), note.count <= 4000,
                  !ControlCharacters.contained(in: note, lineBreaks: true) else {
                return try await refusedPage(l.t("请选择验收通过或退回。", "Choose accept or send back."), context, inbox: inbox)
            }
            do {
                _ = try await closeOut.decide(task: id, decision: decision, note: note, by: session.person.office, person: session.person.name)
            } catch let error as ProgressError {
                let reason = error.code == .invalidField ? l.t("退回整改须填写意见。", "Sending back needs a note.")
                    : error.code == .transitionForbidden ? l.t("该任务已不在待验收状态。", "The task is no longer waiting for acceptance.")
                    : error.message
                return try await refusedPage(reason, context, inbox: inbox)
            }
            return Self.redirect("/desk/acceptance?done=\(decision == .accept ? "accepted" : "rejected")")
        }
        desk.post(routes.add(.post, "/desk/tasks/{id}/extension")) { request, context in
            guard let session = try provincePerson(request, context) else { return provinceOnlyPage(context) }
            guard let fields = try await sessionForm(request, of: session) else { return expiredForm(context) }
            let id = Self.taskID(context)
            let l = context.language
            let reason = (fields["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let document = (fields["document"] ?? "").trimmingCharacters(in: .whitespaces)
            guard let to = fields["to"].flatMap(Day.init), !reason.isEmpty, reason.count <= 4000, document.count <= 200,
                  !ControlCharacters.contained(in: reason, lineBreaks: true), !ControlCharacters.contained(in: document) else {
                return try await refusedPage(l.t("请填写新的时限和延期理由。", "Give the new deadline and the reason."), context, inbox: inbox)
            }
            do {
                try await pool.transaction { connection in
                    try await DeadlineExtension.extend(
                        task: id, to: to, reason: reason, by: session.person.office.actor(person: session.person.name),
                        reference: document.isEmpty ? nil : document, on: connection)
                }
            } catch let refusal as DeadlineExtension.Refusal {
                return try await refusedPage(refusal.message, context, inbox: inbox)
            }
            return Self.redirect("/desk/tasks/\(DeskForm.encode(id))")
        }
        desk.get(routes.add(.get, "/desk/reports")) { request, context in
            guard let session = try provincePerson(request, context) else { return provinceOnlyPage(context) }
            let l = context.language
            let message = request.uri.queryParameters["done"] == "issued" ? DeskLayout.message(l.t("已签发。", "Issued.")) : ""
            let body = DeskProvincePages.reports(
                try await store.list(), today: today(), csrf: session.csrfToken, message: message, language: l)
            return try await deskPage(l.t("月度报告", "The month's reports"), body, context, inbox: inbox)
        }
        desk.get(routes.add(.get, "/desk/reports/{id}")) { request, context in
            guard try provincePerson(request, context) != nil else { return provinceOnlyPage(context) }
            let report = try await store.report(id: try Self.id(context))
            let text = try ReportRendering.render(
                report, as: .html, language: context.language == .zh ? .zh : .en, configuration: settings.reports)
            return Self.html(text)
        }
        desk.get(routes.add(.get, "/desk/reports/{id}/download/{format}")) { request, context in
            guard try provincePerson(request, context) != nil else { return provinceOnlyPage(context) }
            let report = try await store.report(id: try Self.id(context))
            guard let format = context.parameters.get("format").flatMap(ReportFormat.init(rawValue:)),
                  ReportRendering.formats(of: report.kind).contains(format) else {
                throw APIError(.notFound, "not_found", "no such format of report \(report.id)")
            }
            let text = try ReportRendering.render(
                report, as: format, language: context.language == .zh ? .zh : .en, configuration: settings.reports)
            let types: [ReportFormat: String] = [
                .html: "text/html", .md: "text/markdown", .csv: "text/csv", .json: "application/json",
            ]
            return Response(
                status: .ok,
                headers: [.contentType: "\(types[format] ?? "text/plain"); charset=utf-8",
                          .contentDisposition: "attachment; filename=\"\(report.kind)-\(report.period).\(format.rawValue)\""],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        desk.post(routes.add(.post, "/desk/reports/{id}/issue")) { request, context in
            guard let session = try provincePerson(request, context) else { return provinceOnlyPage(context) }
            guard let fields = try await sessionForm(request, of: session) else { return expiredForm(context) }
            let l = context.language
            guard let day = fields["on"].flatMap(Day.init), day <= today() else {
                return try await refusedPage(l.t("请填写成文日期（不晚于今天）。", "Give the date of issue, not after today."), context, inbox: inbox)
            }
            do {
                _ = try await store.issue(
                    id: try Self.id(context), on: day, by: session.person.office.actor(person: session.person.name),
                    configuration: settings.reports)
            } catch let error as ReportError {
                return try await refusedPage(error.message, context, inbox: inbox)
            }
            return Self.redirect("/desk/reports?done=issued")
        }
    }

    /// The signed-in person, if of the provincial office; `nil` for anyone else. Without a
    /// session, a redirect to sign in is thrown.
    func provincePerson(_ request: Request, _ context: APIRequestContext) throws -> Session? {
        let session = try context.requireSession(request)
        return session.person.office.isProvince ? session : nil
    }

    func provinceOnlyPage(_ context: APIRequestContext) -> Response {
        let l = context.language
        return deskPage(
            title: l.t("无权访问", "Not allowed"),
            body: DeskLayout.message(l.t("此页面仅供省整改办使用。", "This page is for the provincial office only."), kind: "error"),
            status: .forbidden, context: context)
    }

    func refusedPage(_ reason: String, _ context: APIRequestContext, inbox: OfficeInbox) async throws -> Response {
        let l = context.language
        var response = try await deskPage(
            l.t("未能完成", "Not done"),
            DeskLayout.message(reason, kind: "error") + "<p><a href=\"/desk\">\(l.t("返回", "Back"))</a></p>",
            context, inbox: inbox)
        response.status = .unprocessableContent
        return response
    }
}
