import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import RectifyAPI
import RectifyDomain
import RectifyLedger
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
            try await DeskPeople.add(pool, office: fixture.ops.office.id, name: "李强", login: "oncall")
            try await APIFixture.withClient(pool, settings: settings) { client in
                let failing = try await scene(pool, fixture, client: client)
                _ = try await JobQueue(pool: pool).pause(queue: "reports")
                var browser = DeskBrowser(client)
                try await browser.signIn("oncall", DeskPeople.password)
                let page = try await browser.get("/ops")
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
                let job = try await browser.get("/ops/jobs/\(failing)")
                #expect(job.status == .ok && job.text.contains("Error history") && job.text.contains("badge cancelled"))
                #expect(job.text.contains("Retry now") && job.text.contains("Signed in as <strong>李强</strong>"))
                #expect(try await browser.get("/ops/jobs/999999").status == .notFound)
            }
        }
    }

    @Test("the ops page and its actions are for people of an ops office only, and every action carries the session's token")
    func actions() async throws {
        let database = try await TestDatabase.fresh("opsactions")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            let queue = JobQueue(pool: pool)
            try await DeskPeople.add(pool, office: fixture.ops.office.id, name: "李强", login: "oncall")
            try await DeskPeople.add(pool, office: fixture.county.office.id, name: "王芳", login: "wangfang")
            try await APIFixture.withClient(pool) { client in
                let failing = try await scene(pool, fixture, client: client)
                var anonymous = DeskBrowser(client)
                let page = try await anonymous.get("/ops")
                #expect(page.status == .seeOther && page.headers[.location] == "/desk/signin?next=%2Fops", "names and titles need a sign-in")
                #expect(try await anonymous.post("/ops/jobs/\(failing)/retry", [:], csrf: false).status == .seeOther)
                #expect(try await anonymous.get("/ops/jobs/\(failing)").status == .seeOther)
                // The old ops cookie holding an office token opens nothing.
                let tokenCookie = try await client.execute(
                    uri: "/ops", method: .get, headers: [.cookie: "rectify_ops=\(fixture.ops.token)"], body: nil)
                #expect(tokenCookie.status == .seeOther)

                var county = DeskBrowser(client)
                try await county.signIn("wangfang", DeskPeople.password)
                #expect(try await county.get("/ops").status == .forbidden)
                #expect(try await county.post("/ops/jobs/\(failing)/retry", [:], token: county.csrfToken).status == .forbidden)
                #expect(try await queue.job(id: failing).state == .cancelled)

                var ops = DeskBrowser(client)
                let signedIn = try await ops.signIn("oncall", DeskPeople.password)
                #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/ops")
                let cookie = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("rectify_session=") })
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
                try await ops.get("/ops/jobs/\(failing)")
                let forged = try await ops.post("/ops/jobs/\(failing)/retry", [:], csrf: false)
                #expect(forged.status == .forbidden, "a form without the session's token is refused")
                #expect(try await ops.post("/ops/jobs/\(failing)/retry", ["csrf": "0" + String(repeating: "a", count: 63)]).status == .forbidden)
                #expect(try await queue.job(id: failing).state == .cancelled)
                try await ops.get("/ops/jobs/\(failing)")
                let retried = try await ops.post("/ops/jobs/\(failing)/retry", [:])
                #expect(retried.status == .seeOther && retried.headers[.location] == "/ops/jobs/\(failing)?notice=retried")
                #expect(try await queue.job(id: failing).state == .available)
                try await ops.get("/ops/jobs/\(failing)")
                #expect(try await ops.post("/ops/jobs/\(failing)/discard", [:]).status == .seeOther)
                #expect(try await queue.job(id: failing).state == .discarded)
                try await ops.get("/ops/jobs/\(failing)")
                let again = try await ops.post("/ops/jobs/\(failing)/discard", [:])
                #expect(again.headers[.location] == "/ops/jobs/\(failing)?notice=unchanged")
                let shown = try await ops.get("/ops/jobs/\(failing)?notice=unchanged")
                #expect(shown.text.contains("The job was not changed") && shown.text.contains("Signed in as <strong>李强</strong>"))
                let planted = try await ops.get("/ops/jobs/\(failing)?notice=Call%20this%20number")
                #expect(!planted.text.contains("Call this number"), "the banner shows only messages of its own list")
            }
        }
    }
}
