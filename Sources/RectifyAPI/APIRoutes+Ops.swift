import Foundation
import Hummingbird
import Logging
import NIOCore
import RectifyLedger
import RectifyProgress
import RectifyQueue
import RectifySchedule

/// The ops page: readable by anyone who can reach `/ops`; retry and discard act only for an
/// office with the `ops` role, signed in with its token (kept in an HttpOnly, SameSite=Strict
/// cookie scoped to /ops, so other sites cannot post the forms).
extension APIRoutes {
    static let opsCookie = "rectify_ops"

    func registerOps(on router: Router<APIRequestContext>, routes: RouteRegistry) {
        let queue = JobQueue(pool: pool)
        let registry = OfficeRegistry(pool: pool)
        router.get(routes.add(.get, "/ops")) { request, _ in
            let office = try await opsOffice(request, registry)
            let stats = try await queue.stats(finishedWithin: OpsPage.finishedWindow)
            let failures = try await queue.recentFailures(limit: 20)
            let overview = OpsPage.Overview(
                stats: stats, oldest: try await queue.oldestAvailable(), failures: failures,
                workers: try await queue.workers(seenWithin: settings.workerLease * 2),
                periodic: try await PeriodicSchedule.list(configured: settings.periodicEntries, fires: 1, pool: pool),
                runs: try await MonthlyRun.list(pool: pool, limit: 6),
                subjects: try await SubmissionJobs.subjects(of: failures.map(\.id), pool: pool),
                operatorName: office?.name, notice: request.uri.queryParameters["notice"].map(String.init), now: Date(),
                lease: settings.workerLease)
            return Self.html(OpsPage.overview(overview))
        }
        router.get(routes.add(.get, "/ops/jobs/{id}")) { request, context in
            let office = try await opsOffice(request, registry)
            let id = try Self.id(context)
            let job = try await queue.job(id: id)
            let subject = try await SubmissionJobs.subjects(of: [id], pool: pool)[id]
            return Self.html(OpsPage.job(
                job, subject: subject, operatorName: office?.name, notice: request.uri.queryParameters["notice"].map(String.init),
                now: Date()))
        }
        router.post(routes.add(.post, "/ops/login")) { request, _ in
            var request = request
            let form = Self.form(try await request.collectBody(upTo: 4096))
            guard let token = form["token"], !token.isEmpty, token.utf8.count <= 200,
                let office = try await registry.office(forToken: token)
            else {
                return Self.html(OpsPage.message("That token is unknown or revoked.", operatorName: nil), status: .unauthorized)
            }
            guard office.isOps else {
                return Self.html(OpsPage.message("\(office.name) is not an ops office; ask for an ops token.", operatorName: nil), status: .forbidden)
            }
            var response = Self.redirect("/ops")
            response.setCookie(Cookie(
                name: Self.opsCookie, value: token, maxAge: 12 * 3600, path: "/ops", httpOnly: true, sameSite: .strict))
            return response
        }
        router.post(routes.add(.post, "/ops/logout")) { _, _ in
            var response = Self.redirect("/ops")
            response.setCookie(Cookie(name: Self.opsCookie, value: "", maxAge: 0, path: "/ops", httpOnly: true, sameSite: .strict))
            return response
        }
        router.post(routes.add(.post, "/ops/jobs/{id}/retry")) { request, context in
            try await opsAction(request, context, registry) { id in
                let job = try await queue.retry(id: id)
                return "Job \(id) is \(job.state.rawValue) again."
            }
        }
        router.post(routes.add(.post, "/ops/jobs/{id}/discard")) { request, context in
            try await opsAction(request, context, registry) { id in
                let job = try await queue.discard(id: id, reason: "discarded from the ops page")
                return "Job \(id) is \(job.state.rawValue)."
            }
        }
    }

    /// The signed-in ops office, if the cookie holds an active ops token.
    private func opsOffice(_ request: Request, _ registry: OfficeRegistry) async throws -> Office? {
        guard let token = request.cookies[Self.opsCookie]?.value, !token.isEmpty, token.utf8.count <= 200 else { return nil }
        return try await registry.office(forToken: token).flatMap { $0.isOps ? $0 : nil }
    }

    /// Runs an ops action for a signed-in ops office and returns to the job's page with the outcome.
    private func opsAction(
        _ request: Request, _ context: APIRequestContext, _ registry: OfficeRegistry, _ action: (Int64) async throws -> String
    ) async throws -> Response {
        let id = try Self.id(context)
        guard let office = try await opsOffice(request, registry) else {
            return Self.html(OpsPage.message("Sign in with an ops token to retry or discard jobs.", operatorName: nil), status: .unauthorized)
        }
        let outcome: String
        do {
            outcome = try await action(id)
            context.logger.info("ops action", metadata: ["job": "\(id)", "by": "\(office.name)", "path": "\(request.uri.path)"])
        } catch let error as QueueError {
            outcome = error.message
        }
        return Self.redirect("/ops/jobs/\(id)?notice=" + (outcome.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// An `application/x-www-form-urlencoded` body.
    static func form(_ buffer: ByteBuffer) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(buffer: buffer).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }
}
