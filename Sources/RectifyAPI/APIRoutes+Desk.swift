import Foundation
import Hummingbird
import RectifyAccounts
import RectifyDomain
import RectifyLedger
import RectifyProgress
import RectifyReports
import RectifySchedule

/// The offices' desk: 我的整改任务, a task's page with its history and the progress form, and
/// the inbox. Every page needs a signed-in person; every form carries the session's CSRF token.
extension APIRoutes {
    func registerDesk(on desk: RouterGroup<APIRequestContext>, routes: RouteRegistry) {
        let tasks = DeskTasks(pool: pool)
        let directory = TaskDirectory(pool: pool, timeZone: settings.timeZone)
        let progress = ProgressDesk(pool: pool, timeZone: settings.timeZone)
        let inbox = OfficeInbox(pool: pool)
        let evidence = EvidenceStore(pool: pool)
        desk.get(routes.add(.get, "/desk")) { request, context in
            let session = try context.requireOfficeSession(request)
            let period = try await reportingPeriod()
            let query = request.uri.queryParameters
            var filter = DeskTasks.Filter()
            filter.status = query["status"].flatMap { TaskStatus(rawValue: String($0)) }
            filter.overdueOnly = query["overdue"] == "1"
            filter.notReportedOnly = query["unreported"] == "1"
            filter.search = query["q"].map { String($0.prefix(100)) }.flatMap { ControlCharacters.contained(in: $0) ? nil : $0 }
            let office = session.person.office
            let rows = try await tasks.list(for: office, period: period, today: today(), filter: filter)
            let silent = office.role == "county" ? [] : try await tasks.silentOffices(under: office, period: period)
            let body = DeskTaskPages.list(rows, silent: silent, filter: filter, period: period, office: office, language: context.language)
            return try await deskPage(context.language.t("我的整改任务", "My rectification tasks"), body, context, inbox: inbox)
        }
        desk.get(routes.add(.get, "/desk/tasks/{id}")) { request, context in
            let session = try context.requireOfficeSession(request)
            let id = Self.taskID(context)
            let found: (task: TaskDirectory.Summary, history: [TaskHistory.Entry])
            do {
                found = try await directory.task(id, by: session.person.office)
            } catch let error as ProgressError {
                return try await notFound(context, inbox: inbox, status: error.code == .outOfScope ? .forbidden : .notFound)
            }
            let sent = request.uri.queryParameters["sent"] == "1"
            let body = DeskTaskPages.task(
                found.task, history: found.history, submissions: try await SubmissionRecords.history(task: id, pool: pool),
                namings: try await inbox.namings(of: id), form: try await progressForm(found.task, session: session, values: [:], language: context.language),
                message: sent ? DeskLayout.message(context.language.t("进展已报送，稍后生效。", "Progress sent; it applies in a moment.")) : "",
                zone: settings.timeZone, language: context.language)
            return try await deskPage(found.task.title, body, context, inbox: inbox)
        }
        desk.post(routes.add(.post, "/desk/tasks/{id}/progress")) { request, context in
            let session = try context.requireOfficeSession(request)
            let l = context.language
            var fields: [String: String]
            var uploads: [DeskMultipart.Upload] = []
            if let boundary = DeskMultipart.boundary(request) {
                do {
                    let body = try await DeskMultipart.read(request, boundary: boundary)
                    (fields, uploads) = (body.fields, body.files)
                } catch DeskMultipart.Refusal.fileTooLarge(let name) {
                    return try await refusedPage(l.t("文件“\(name)”超过 20 MB。", "The file “\(name)” is over 20 MB."), context, inbox: inbox)
                } catch DeskMultipart.Refusal.tooLarge {
                    return try await refusedPage(l.t("一次报送的文件合计不能超过 100 MB。", "A submission's files may add up to 100 MB at most."), context, inbox: inbox)
                } catch is DeskMultipart.Refusal {
                    return try await refusedPage(l.t("表单无法读取，请重新提交。", "The form could not be read; send it again."), context, inbox: inbox)
                }
            } else {
                fields = try await DeskForm.fields(request)
            }
            guard fields["csrf"] == session.csrfToken else { return expiredForm(context) }
            let id = Self.taskID(context)
            let found: (task: TaskDirectory.Summary, history: [TaskHistory.Entry])
            do {
                found = try await directory.task(id, by: session.person.office)
            } catch is ProgressError {
                return try await notFound(context, inbox: inbox, status: .notFound)
            }
            let problem: String?
            do {
                var submission = try DeskProgressForm.submission(task: id, fields: fields, language: l)
                submission.evidence = try await DeskProgressForm.store(uploads, office: session.person.office.id, store: evidence, language: l)
                _ = try await progress.submit(submission, by: session.person.office, person: session.person.name)
                return Self.redirect("/desk/tasks/\(DeskForm.encode(id))?sent=1")
            } catch let error as DeskProgressForm.Invalid {
                problem = error.message
            } catch let error as ProgressError {
                problem = DeskProgressForm.explain(error, language: l)
            }
            let body = DeskTaskPages.task(
                found.task, history: found.history, submissions: try await SubmissionRecords.history(task: id, pool: pool),
                namings: try await inbox.namings(of: id), form: try await progressForm(found.task, session: session, values: fields, language: l),
                message: DeskLayout.message(l.t("未报送：", "Not sent: ") + (problem ?? ""), kind: "error"), zone: settings.timeZone,
                language: l)
            var response = try await deskPage(found.task.title, body, context, inbox: inbox)
            response.status = .unprocessableContent
            return response
        }
        desk.get(routes.add(.get, "/desk/evidence/{sha256}")) { request, context in
            let session = try context.requireOfficeSession(request)
            let office = session.person.office
            guard let file = try await evidence.readable(
                context.parameters.get("sha256") ?? "", office: office.id, region: office.region, unit: office.unit)
            else { return try await notFound(context, inbox: inbox, status: .notFound) }
            return Self.evidenceResponse(file, store: evidence)
        }
        desk.get(routes.add(.get, "/desk/inbox")) { request, context in
            let session = try context.requireOfficeSession(request)
            let notices = try await inbox.list(for: session.person.office, unreadOnly: false, limit: 100, before: nil)
            let titles = try await LedgerDirectory(pool: pool).taskTitles(Set(notices.flatMap { DeskTaskPages.taskIDs($0.tasksJSON) }))
            let body = DeskTaskPages.inbox(notices, titles: titles, csrf: session.csrfToken, language: context.language)
            return try await deskPage(context.language.t("收件箱", "Inbox"), body, context, inbox: inbox)
        }
        desk.post(routes.add(.post, "/desk/inbox/{id}/read")) { request, context in
            let session = try context.requireOfficeSession(request)
            guard try await sessionForm(request, of: session) != nil else { return expiredForm(context) }
            if let id = Int64(context.parameters.get("id") ?? "") {
                try? await inbox.markRead(id, for: session.person.office)
            }
            return Self.redirect("/desk/inbox")
        }
    }

    /// The month a page asks about: the month just ended until its monthly run has happened,
    /// then the current month (SPEC).
    func reportingPeriod() async throws -> Period {
        let current = Period(containing: Date(), in: settings.timeZone)
        let ended = current.previous
        return try await MonthlyRun.isScheduled(ended, pool: pool) ? current : ended
    }

    func today() -> Day { Day(containing: Date(), in: settings.timeZone) }

    /// The forms a task's page offers this person: the progress form while the task is
    /// unfinished, and for the province the deadline extension too.
    private func progressForm(
        _ task: TaskDirectory.Summary, session: Session, values: [String: String], language: DeskLanguage
    ) async throws -> String {
        guard let status = TaskStatus(rawValue: task.status), status == .notStarted || status == .inProgress else { return "" }
        let extensionForm = session.person.office.isProvince
            ? DeskProvincePages.extensionForm(task: task.id, deadline: task.deadline, csrf: session.csrfToken, language: language) : ""
        let period = try await reportingPeriod()
        let current = Period(containing: Date(), in: settings.timeZone)
        return DeskProgressForm.render(
            task: task.id, current: status, progress: task.progress, periods: period == current ? [period] : [period, current],
            values: values, csrf: session.csrfToken, language: language) + extensionForm
    }

    /// A desk page with the office's unread count in its header.
    func deskPage(_ title: String, _ body: String, _ context: APIRequestContext, inbox: OfficeInbox) async throws -> Response {
        var unread = 0
        if let session = context.session { unread = try await inbox.unreadCount(for: session.person.office) }
        return deskPage(title: title, body: body, context: context, unread: unread)
    }

    private func notFound(_ context: APIRequestContext, inbox: OfficeInbox, status: HTTPResponse.Status) async throws -> Response {
        let l = context.language
        var response = try await deskPage(
            l.t("找不到该任务", "No such task"),
            DeskLayout.message(l.t("该任务不存在，或不在本单位的范围内。", "The task does not exist or is outside your office's scope."), kind: "error")
                + "<p><a href=\"/desk\">\(l.t("返回我的整改任务", "Back to my tasks"))</a></p>", context, inbox: inbox)
        response.status = status
        return response
    }
}
