import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import RectifyAPI
import RectifyDomain
import RectifyPostgres
import RectifyProgress
import RectifyQueue
import RectifySchedule
import RectifyTesting
import Testing

@Suite("The ops page", .database)
struct OpsPageTests {
    /// A cancelled submission job, a scheduled monthly run and a live worker.
    private func scene(_ pool: PostgresPool, _ fixture: APIFixture, client: any TestClientProtocol) async throws -> Int64 {
        let first = try await client.send(.post, "/v1/progress", token: fixture.city.token, json: submissionJSON(id: "a", progress: 90, status: "pending_acceptance"))
        try await runProgressJobs(pool, until: [Int64(try #require(first.object["job_id"] as? Int))])
        let second = try await client.send(.post, "/v1/progress", token: fixture.city.token, json: submissionJSON(id: "b", progress: 95, status: "pending_acceptance"))
        let failing = Int64(try #require(second.object["job_id"] as? Int))
        _ = try await client.send(.post, "/v1/tasks/CEI2-HE-001/acceptance", token: fixture.province.token, json: #"{"decision":"accept"}"#)
        try await runProgressJobs(pool, until: [failing])
        _ = try await MonthlyRun.schedule(period: Period("2026-10")!, by: "cron@ops-host", pool: pool)
        try await JobQueue(pool: pool).recordWorker(id: "worker-7f3a", host: "rectify-worker-0", pid: 4242, queues: ["default", "reports"])
        return failing
    }

    @Test("renders every section with names, and a job's page with its error history")
    func rendersSections() async throws {
        let database = try await TestDatabase.fresh("opspage")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            var settings = APIFixture.settings()
            settings.periodicEntries = [SchedulerConfiguration().monthlyEntry]
            try await APIFixture.withClient(pool, settings: settings) { client in
                let failing = try await scene(pool, fixture, client: client)
                _ = try await JobQueue(pool: pool).pause(queue: "reports")
                let page = try await client.send(.get, "/ops")
                #expect(page.status == .ok && page.headers[.contentType] == "text/html; charset=utf-8")
                let html = page.text
                for section in [#"id="queues""#, #"id="failures""#, #"id="workers""#, #"id="periodic""#, #"id="runs""#] {
                    #expect(html.contains(section), "\(section)")
                }
                #expect(html.contains("Shijiazhuang office on “Close dust sources” (2026-10, 95%, pending_acceptance)"), "names, not ids")
                #expect(html.contains("cannot become pending_acceptance"), "the failure's error")
                #expect(html.contains("Monthly scheduling report (月度调度)") && html.contains("2026-10") && html.contains("cron@ops-host"))
                #expect(html.contains("worker-7f3a") && html.contains("rectify-worker-0"))
                #expect(html.contains("<strong>monthly_run</strong> <span class=\"badge scheduled\"") && html.contains("not registered"),
                        "the configured entry, not yet registered by a leader")
                #expect(html.contains("(Asia/Shanghai)") && html.contains("Monthly run (月度调度"))
                #expect(html.contains("Oldest waiting job") && html.contains(">reports</strong> <span class=\"badge paused\""))
                #expect(!html.contains(">default</strong> <span class=\"badge paused\""), "only the paused queue says so")
                #expect(!html.contains("<script"), "no JavaScript")
                let job = try await client.send(.get, "/ops/jobs/\(failing)")
                #expect(job.status == .ok && job.text.contains("Error history") && job.text.contains("badge cancelled"))
                #expect(job.text.contains("Sign in with an ops token to retry or discard this job."))
                #expect(try await client.send(.get, "/ops/jobs/999999").status == .notFound)
            }
        }
    }

    @Test("retry and discard act only for an ops office signed in with an HttpOnly, SameSite=Strict cookie")
    func actions() async throws {
        let database = try await TestDatabase.fresh("opsactions")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            let queue = JobQueue(pool: pool)
            try await APIFixture.withClient(pool) { client in
                let failing = try await scene(pool, fixture, client: client)
                let anonymous = try await client.send(.post, "/ops/jobs/\(failing)/retry")
                #expect(anonymous.status == .unauthorized)
                #expect(try await queue.job(id: failing).state == .cancelled)

                func login(_ token: String) async throws -> TestResponse {
                    try await client.execute(
                        uri: "/ops/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                        body: ByteBuffer(string: "token=\(token)"))
                }
                #expect(try await login(fixture.county.token).status == .forbidden)
                #expect(try await login("rct_nope").status == .unauthorized)
                let signedIn = try await login(fixture.ops.token)
                #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/ops")
                let cookie = try #require(signedIn.headers[.setCookie])
                #expect(cookie.contains("rectify_ops=\(fixture.ops.token)") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
                #expect(cookie.contains("Path=/ops"))

                let asOps: HTTPFields = [.cookie: "rectify_ops=\(fixture.ops.token)"]
                let countyCookie: HTTPFields = [.cookie: "rectify_ops=\(fixture.county.token)"]
                let notOps = try await client.execute(uri: "/ops/jobs/\(failing)/retry", method: .post, headers: countyCookie)
                #expect(notOps.status == .unauthorized, "a county token in the cookie is not an ops sign-in")
                let retried = try await client.execute(uri: "/ops/jobs/\(failing)/retry", method: .post, headers: asOps)
                #expect(retried.status == .seeOther && retried.headers[.location]?.hasPrefix("/ops/jobs/\(failing)?notice=") == true)
                #expect(try await queue.job(id: failing).state == .available)
                let discarded = try await client.execute(uri: "/ops/jobs/\(failing)/discard", method: .post, headers: asOps)
                #expect(discarded.status == .seeOther)
                #expect(try await queue.job(id: failing).state == .discarded)
                let again = try await client.execute(uri: "/ops/jobs/\(failing)/discard", method: .post, headers: asOps)
                let notice = try #require(again.headers[.location])
                let shown = try await client.execute(uri: notice, method: .get, headers: asOps)
                #expect(shown.text.contains("is already discarded") && shown.text.contains("Signed in as <strong>On-call</strong>"))
            }
        }
    }
}
