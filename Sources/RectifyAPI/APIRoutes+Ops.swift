import Foundation
import Hummingbird
import Logging
import NIOCore
import RectifyAccounts
import RectifyLedger
import RectifyProgress
import RectifyQueue
import RectifySchedule

/// The ops page: for people of an ops office only, signed in on the desk; retry and discard
/// carry the session's CSRF token.
extension APIRoutes {
    func registerOps(on desk: RouterGroup<APIRequestContext>, routes: RouteRegistry) {
        let queue = JobQueue(pool: pool)
        desk.get(routes.add(.get, "/ops")) { request, context in
            guard let signedIn = try opsOperator(request, context) else { return opsRefused(context) }
            let stats = try await queue.stats(finishedWithin: OpsPage.finishedWindow)
            let failures = try await queue.recentFailures(limit: 20)
            let overview = OpsPage.Overview(
                stats: stats, oldest: try await queue.oldestAvailable(), failures: failures,
                workers: try await queue.workers(seenWithin: settings.workerLease * 2),
                periodic: try await PeriodicSchedule.list(configured: settings.periodicEntries, fires: 1, pool: pool),
                runs: try await MonthlyRun.list(pool: pool, limit: 6),
                subjects: try await SubmissionJobs.subjects(of: failures.map(\.id), pool: pool),
                signedIn: signedIn, notice: Self.opsNotice(request), now: Date(), lease: settings.workerLease)
            return Self.html(OpsPage.overview(overview))
        }
        desk.get(routes.add(.get, "/ops/jobs/{id}")) { request, context in
            guard let signedIn = try opsOperator(request, context) else { return opsRefused(context) }
            let id = try Self.id(context)
            let job = try await queue.job(id: id)
            let subject = try await SubmissionJobs.subjects(of: [id], pool: pool)[id]
            return Self.html(OpsPage.job(job, subject: subject, signedIn: signedIn, notice: Self.opsNotice(request), now: Date()))
        }
        desk.post(routes.add(.post, "/ops/jobs/{id}/retry")) { request, context in
            try await opsAction(request, context, success: .retried) { id in _ = try await queue.retry(id: id) }
        }
        desk.post(routes.add(.post, "/ops/jobs/{id}/discard")) { request, context in
            try await opsAction(request, context, success: .discarded) { id in
                _ = try await queue.discard(id: id, reason: "discarded from the ops page by \(context.session?.person.name ?? "ops")")
            }
        }
    }

    /// The signed-in person of an ops office; `nil` when the person is of another office.
    /// Without a session, a redirect to the sign-in page is thrown.
    private func opsOperator(_ request: Request, _ context: APIRequestContext) throws -> OpsPage.Operator? {
        let session = try context.requireSession(request)
        guard session.person.office.isOps else { return nil }
        return OpsPage.Operator(name: session.person.name, csrf: session.csrfToken)
    }

    private func opsRefused(_ context: APIRequestContext) -> Response {
        let l = context.language
        return deskPage(
            title: l.t("无权访问", "Not allowed"),
            body: DeskLayout.message(l.t("运维页面仅供运维人员使用。", "The ops page is for people of an ops office only."), kind: "error"),
            status: .forbidden, context: context)
    }

    private static func opsNotice(_ request: Request) -> OpsPage.OpsNotice? {
        request.uri.queryParameters["notice"].flatMap { OpsPage.OpsNotice(rawValue: String($0)) }
    }

    /// Runs an ops action for a signed-in ops person whose form carries the session's token,
    /// and returns to the job's page with the outcome.
    private func opsAction(
        _ request: Request, _ context: APIRequestContext, success: OpsPage.OpsNotice, _ action: (Int64) async throws -> Void
    ) async throws -> Response {
        let id = try Self.id(context)
        guard let signedIn = try opsOperator(request, context), let session = context.session else { return opsRefused(context) }
        guard try await sessionForm(request, of: session) != nil else { return expiredForm(context) }
        let notice: OpsPage.OpsNotice
        do {
            try await action(id)
            notice = success
            context.logger.info("ops action", metadata: ["job": "\(id)", "by": "\(signedIn.name)", "path": "\(request.uri.path)"])
        } catch is QueueError {
            notice = .unchanged
        }
        return Self.redirect("/ops/jobs/\(id)?notice=\(notice.rawValue)")
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}
