import Foundation
import Hummingbird
import HummingbirdTesting
import RectifyAccounts
import RectifyAPI
import RectifyLedger
import RectifyDomain
import RectifyPostgres
import RectifyTesting
import Testing

/// The offices' desk as people use it: accounts and passwords, sign-in and its throttling,
/// sessions and their ends, CSRF, and the county's and city's pages.
@Suite("The offices' desk", .database)
struct DeskTests {
    /// The first month the progress form offers (the reporting period), from a task's page.
    static func firstMonth(in page: String) -> String? {
        page.range(of: #"<option value="\d{4}-\d{2}""#, options: .regularExpression).map { String(page[$0].dropFirst(15).prefix(7)) }
    }

    @Test("a one-time link sets a password once, refusing short, common and mismatched ones; the person then signs in")
    func passwordLink() async throws {
        let database = try await TestDatabase.fresh("deskpassword")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            let registry = PeopleRegistry(pool: pool, policy: DeskPeople.policy)
            let (person, link) = try await registry.add(office: fixture.county.office.id, name: "王芳", login: "wangfang")
            #expect(!person.hasPassword)
            await #expect(throws: AccountError.self) { try await registry.add(office: fixture.city.office.id, name: "王芳", login: "WangFang") }
            await #expect(throws: AccountError.self) { try await registry.add(office: 999, name: "Nobody", login: nil) }
            try await APIFixture.withClient(pool) { client in
                var browser = DeskBrowser(client)
                let form = try await browser.get(DeskLinks.password(link))
                #expect(form.status == .ok && form.text.contains("王芳") && form.text.contains("Chang&#39;an office"))
                for (password, confirm, says) in [
                    ("short", "short", "至少"), ("password123", "password123", "最常见"), ("aaaaaaaaaaaa", "aaaaaaaaaaaa", "不同的字符"),
                    ("Baoding-Desk-2026", "Baoding-Desk-2027", "不一致"), ("wangfang-2026-ok", "wangfang-2026-ok", "登录名"),
                ] {
                    let refused = try await browser.post(DeskLinks.password(link), ["password": password, "confirm": confirm])
                    #expect(refused.status == .unprocessableContent && refused.text.contains(says), "\(password): \(refused.text)")
                }
                let forged = try await browser.post(
                    DeskLinks.password(link), ["password": DeskPeople.password, "confirm": DeskPeople.password], csrf: false)
                #expect(forged.status == .forbidden, "the form needs its token")
                try await browser.get(DeskLinks.password(link))
                let set = try await browser.post(DeskLinks.password(link), ["password": DeskPeople.password, "confirm": DeskPeople.password])
                #expect(set.status == .ok && set.text.contains("密码已设置"))
                #expect(try await browser.get(DeskLinks.password(link)).status == .notFound, "a link works once")
                let signedIn = try await browser.signIn("WANGFANG", DeskPeople.password)
                #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/desk", "logins ignore case")
                #expect(try await browser.get("/desk").status == .ok)
            }
            let stored = try await pool.query("SELECT password_hash FROM rectify_people WHERE login = 'wangfang'")[0].decode(String.self, at: 0)
            #expect(stored.hasPrefix("$2") && !stored.contains(DeskPeople.password), "only a bcrypt hash is kept")
            let sessions = try await pool.query("SELECT encode(id_hash, 'hex') FROM rectify_sessions").map { try $0.decode(String.self, at: 0) }
            #expect(sessions.count == 1 && sessions[0].count == 64, "only the session id's SHA-256 is kept")
        }
    }

    @Test("five failures lock the account until the window has passed, and say until when; each attempt is recorded")
    func throttling() async throws {
        let database = try await TestDatabase.fresh("deskthrottle")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            try await DeskPeople.add(pool, office: fixture.county.office.id, name: "王芳", login: "wangfang")
            var settings = APIFixture.settings()
            settings.desk.accounts.throttleWindow = .seconds(2)
            try await APIFixture.withClient(pool, settings: settings) { client in
                var browser = DeskBrowser(client)
                for _ in 0..<5 {
                    let wrong = try await browser.signIn("wangfang", "not-the-password")
                    #expect(wrong.status == .unauthorized && wrong.text.contains("登录名或密码不正确"))
                }
                let locked = try await browser.signIn("wangfang", DeskPeople.password)
                #expect(locked.status == .tooManyRequests && locked.text.contains("已暂时锁定"), "even the right password waits")
                #expect(locked.headers[.retryAfter] != nil)
                let unknown = try await browser.signIn("nobody", "whatever-it-is")
                #expect(unknown.status == .unauthorized, "an unknown login reads like a wrong password")
                try await Task.sleep(for: .milliseconds(2500))
                let after = try await browser.signIn("wangfang", DeskPeople.password)
                #expect(after.status == .seeOther, "the lock opens once the window has passed")
            }
            let attempts = try await pool.query("""
                SELECT count(*) FILTER (WHERE succeeded), count(*) FILTER (WHERE NOT succeeded) FROM rectify_sign_in_attempts
                """)[0].decode((Int, Int).self)
            #expect(attempts == (1, 7))
        }
    }

    @Test("an address with too many failures is stopped whichever login it tries")
    func addressThrottling() async throws {
        let database = try await TestDatabase.fresh("deskaddress")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            try await DeskPeople.add(pool, office: fixture.county.office.id, name: "王芳", login: "wangfang")
            var settings = APIFixture.settings()
            settings.desk.accounts.failuresPerAddress = 3
            try await APIFixture.withClient(pool, settings: settings) { client in
                var browser = DeskBrowser(client)
                for login in ["a", "b", "c"] {
                    let wrong = try await browser.signIn(login, "guess-guess-guess")
                    #expect(wrong.status == .unauthorized)
                }
                let stopped = try await browser.signIn("wangfang", DeskPeople.password)
                #expect(stopped.status == .tooManyRequests)
            }
        }
    }

    @Test("a session ends on sign-out, after its idle time, after its lifetime however busy, and when its person is disabled")
    func sessionEnds() async throws {
        let database = try await TestDatabase.fresh("desksessions")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            let person = try await DeskPeople.add(pool, office: fixture.city.office.id, name: "张伟", login: "zhangwei")
            var settings = APIFixture.settings()
            settings.desk.accounts.sessionIdle = .seconds(1)
            settings.desk.accounts.sessionLifetime = .seconds(3)
            try await APIFixture.withClient(pool, settings: settings) { client in
                var browser = DeskBrowser(client)
                try await browser.signIn("zhangwei", DeskPeople.password)
                #expect(try await browser.get("/desk").status == .ok)
                try await browser.post("/desk/signout", [:])
                #expect(try await browser.get("/desk").status == .seeOther, "signed out")

                try await browser.signIn("zhangwei", DeskPeople.password)
                try await Task.sleep(for: .milliseconds(1500))
                #expect(try await browser.get("/desk").status == .seeOther, "idle longer than its idle time")

                try await browser.signIn("zhangwei", DeskPeople.password)
                var kept = 0
                for _ in 0..<8 {
                    try await Task.sleep(for: .milliseconds(500))
                    if try await browser.get("/desk").status == .ok { kept += 1 }
                }
                #expect(kept >= 4 && kept < 8, "busy, it lives until its lifetime, then ends (\(kept) of 8 answered)")
                #expect(try await browser.get("/desk").status == .seeOther)

                try await browser.signIn("zhangwei", DeskPeople.password)
                #expect(try await browser.get("/desk").status == .ok)
                try await PeopleRegistry(pool: pool).disable(id: person.id)
                #expect(try await browser.get("/desk").status == .seeOther, "disabled")
                #expect(try await browser.signIn("zhangwei", DeskPeople.password).status == .unauthorized)
            }
        }
    }

    @Test("a county clerk lists the office's tasks, reports progress on the desk, and the history names the person")
    func reportOnTheDesk() async throws {
        let database = try await TestDatabase.fresh("deskreport")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            try await DeskPeople.add(pool, office: fixture.city.office.id, name: "张伟", login: "zhangwei")
            try await DeskPeople.add(pool, office: fixture.county.office.id, name: "王芳", login: "wangfang")
            try await APIFixture.withClient(pool) { client in
                var county = DeskBrowser(client)
                try await county.signIn("wangfang", DeskPeople.password)
                let countyList = try await county.get("/desk")
                #expect(countyList.text.contains("Sewage outfalls") && !countyList.text.contains("Close dust sources"), "its own tasks only")
                #expect(try await county.get("/desk/tasks/CEI2-HE-001").status == .forbidden, "a city-led task is outside a county")

                var city = DeskBrowser(client)
                try await city.signIn("zhangwei", DeskPeople.password)
                let list = try await city.get("/desk")
                #expect(list.text.contains("Close dust sources") && list.text.contains("Sewage outfalls"))
                #expect(list.text.contains("逾期") && list.text.contains("本月未报送"))
                let page = try await city.get("/desk/tasks/CEI2-HE-001")
                #expect(page.text.contains("报送进展") && page.text.contains("Shijiazhuang Municipal Government"))
                let forged = try await city.post(
                    "/desk/tasks/CEI2-HE-001/progress", ["period": "2026-10", "progress": "60", "status": "in_progress", "summary": "x"],
                    csrf: false)
                #expect(forged.status == .forbidden)
                let month = try #require(Self.firstMonth(in: page.text))
                try await city.get("/desk/tasks/CEI2-HE-001")
                let refused = try await city.post(
                    "/desk/tasks/CEI2-HE-001/progress", ["period": month, "progress": "160", "status": "in_progress", "summary": "x"])
                #expect(refused.status == .unprocessableContent && refused.text.contains("0 到 100"))
                #expect(refused.text.contains("160"), "what was typed is kept")
                let sent = try await city.post(
                    "/desk/tasks/CEI2-HE-001/progress",
                    ["period": month, "progress": "65", "status": "in_progress", "summary": "关停 3 处扬尘点位\n另 2 处整改中"])
                #expect(sent.status == .seeOther && sent.headers[.location] == "/desk/tasks/CEI2-HE-001?sent=1")
                let jobs = try await pool.query("SELECT job_id FROM rectify_progress_submissions WHERE task = 'CEI2-HE-001'").map {
                    try $0.decode(Int64.self, at: 0)
                }
                try await runProgressJobs(pool, until: jobs)
                let after = try await city.get("/desk/tasks/CEI2-HE-001?sent=1")
                #expect(after.text.contains("张伟 (Shijiazhuang office)"), "the history names the person and the office")
                #expect(after.text.contains("关停 3 处扬尘点位<br>另 2 处整改中"))
                let english = try await city.get("/desk/lang/en?back=/desk/tasks/CEI2-HE-001")
                #expect(english.headers[.location] == "/desk/tasks/CEI2-HE-001")
                #expect(try await city.get("/desk/tasks/CEI2-HE-001").text.contains("Progress reported"))
            }
            let actor = try await pool.query("""
                SELECT actor FROM rectify_task_history WHERE task = 'CEI2-HE-001' AND source = 'submission'
                """)[0].decode(String.self, at: 0)
            #expect(actor == "张伟 (Shijiazhuang office)")
        }
    }
}

extension DeskTests {
    @Test("the province extends a deadline and decides on the tasks waiting for acceptance; others may not")
    func provinceDecides() async throws {
        let database = try await TestDatabase.fresh("deskprovince")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            try await DeskPeople.add(pool, office: fixture.province.office.id, name: "赵敏", login: "zhaomin")
            try await DeskPeople.add(pool, office: fixture.city.office.id, name: "张伟", login: "zhangwei")
            try await APIFixture.withClient(pool) { client in
                var city = DeskBrowser(client)
                try await city.signIn("zhangwei", DeskPeople.password)
                for page in ["/desk/overview", "/desk/acceptance", "/desk/reports"] {
                    #expect(try await city.get(page).status == .forbidden, "\(page) is the province's")
                }
                try await city.get("/desk/tasks/CEI2-HE-001")
                #expect(try await city.post("/desk/tasks/CEI2-HE-001/extension", ["to": "2027-06-30", "reason": "x"]).status == .forbidden)

                var province = DeskBrowser(client)
                try await province.signIn("zhaomin", DeskPeople.password)
                let overview = try await province.get("/desk/overview")
                #expect(overview.status == .ok && overview.text.contains("<svg class=\"chart\"") && overview.text.contains("各市情况"))
                let task = try await province.get("/desk/tasks/CEI2-HE-001")
                #expect(task.text.contains("批准延期"))
                let earlier = try await province.post("/desk/tasks/CEI2-HE-001/extension", ["to": "2023-01-31", "reason": "汛期"])
                #expect(earlier.status == .unprocessableContent && earlier.text.contains("not later than"))
                try await province.get("/desk/tasks/CEI2-HE-001")
                let extended = try await province.post(
                    "/desk/tasks/CEI2-HE-001/extension", ["to": "2027-06-30", "reason": "受汛期影响施工窗口推迟", "document": "冀督改办函〔2026〕12号"])
                #expect(extended.status == .seeOther)

                let sent = try await client.send(
                    .post, "/v1/progress", token: fixture.city.token,
                    json: submissionJSON(id: "done", progress: 100, status: "pending_acceptance"))
                try await runProgressJobs(pool, until: [Int64(try #require(sent.object["job_id"] as? Int))])
                let queue = try await province.get("/desk/acceptance")
                #expect(queue.text.contains("Close dust sources") && queue.text.contains("Closed 3 of 5 dust sources"))
                let noNote = try await province.post("/desk/tasks/CEI2-HE-001/decision", ["decision": "reject", "note": ""])
                #expect(noNote.status == .unprocessableContent && noNote.text.contains("须填写意见"))
                try await province.get("/desk/acceptance")
                let accepted = try await province.post("/desk/tasks/CEI2-HE-001/decision", ["decision": "accept", "note": "现场核查通过"])
                #expect(accepted.status == .seeOther && accepted.headers[.location] == "/desk/acceptance?done=accepted")
                let none = try await province.get("/desk/reports")
                #expect(none.status == .ok && none.text.contains("尚无报告"))
                // A draft's figures, as a report job would have left them: listed with its files.
                try await pool.query("INSERT INTO rectify_reports (kind, period, figures) VALUES ('monthly_schedule', '2026-10', '{}')")
                let reports = try await province.get("/desk/reports")
                #expect(reports.text.contains("拟稿") && reports.text.contains("签发"))
                let link = try #require(reports.text.range(of: #"/desk/reports/\d+/download/json"#, options: .regularExpression))
                let file = try await province.get(String(reports.text[link]))
                #expect(file.status == .ok && file.headers[.contentType] == "application/json; charset=utf-8", "\(file.status)")
                #expect(file.headers[.contentDisposition]?.contains("monthly_schedule-2026-10.json") == true)
                #expect(try await province.get("/desk/reports/999999").status == .notFound, "an unknown report is 404, not 500")
            }
            let history = try await pool.query("""
                SELECT source, actor, coalesce(reference, '') FROM rectify_task_history WHERE task = 'CEI2-HE-001' AND source IN ('extension', 'acceptance')
                ORDER BY id
                """).map { try $0.decode((String, String, String).self) }
            #expect(history.map(\.0) == ["extension", "acceptance"])
            #expect(history.allSatisfy { $0.1 == "赵敏 (Provincial office)" })
            #expect(history[0].2 == "冀督改办函〔2026〕12号")
        }
    }
}

extension DeskTests {
    /// CEI2-HE-001 reported done by the city, applied, and accepted by the province on the desk.
    private func acceptedTask(_ pool: PostgresPool, _ fixture: APIFixture, _ client: any TestClientProtocol, _ province: inout DeskBrowser) async throws {
        let sent = try await client.send(
            .post, "/v1/progress", token: fixture.city.token, json: submissionJSON(id: UUID().uuidString, progress: 100, status: "pending_acceptance"))
        try await runProgressJobs(pool, until: [Int64(try #require(sent.object["job_id"] as? Int))])
        try await province.get("/desk/acceptance")
        let accepted = try await province.post("/desk/tasks/CEI2-HE-001/decision", ["decision": "accept", "note": ""])
        #expect(accepted.status == .seeOther)
    }

    private func closeJobs(_ pool: PostgresPool) async throws -> [Int64] {
        try await pool.query("SELECT id FROM rectify_jobs WHERE kind = 'close_after_public_notice'").map { try $0.decode(Int64.self, at: 0) }
    }

    private func status(_ pool: PostgresPool) async throws -> String {
        try await pool.query("SELECT status FROM rectify_tasks WHERE id = 'CEI2-HE-001'")[0].decode(String.self, at: 0)
    }

    @Test("an objection from the public holds the notice open; dismissed with a reason, the task closes; upheld, it goes back")
    func publicObjections() async throws {
        let database = try await TestDatabase.fresh("deskgongshi")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            try await DeskPeople.add(pool, office: fixture.province.office.id, name: "赵敏", login: "zhaomin")
            var settings = APIFixture.settings()
            settings.publicNotice = .exactly(.seconds(3))
            try await APIFixture.withClient(pool, settings: settings) { client in
                var province = DeskBrowser(client)
                try await province.signIn("zhaomin", DeskPeople.password)
                try await acceptedTask(pool, fixture, client, &province)

                var citizen = DeskBrowser(client)
                let notice = try await citizen.get("/gongshi")
                #expect(notice.status == .ok && notice.text.contains("Close dust sources") && notice.text.contains("Closed 3 of 5 dust sources"))
                let blank = try await citizen.post("/gongshi/CEI2-HE-001/objection", ["name": "", "contact": "", "reason": ""])
                #expect(blank.status == .unprocessableContent)
                try await citizen.get("/gongshi")
                let raised = try await citizen.post(
                    "/gongshi/CEI2-HE-001/objection", ["name": "刘先生", "contact": "13800000000", "reason": "工地夜间仍有扬尘"])
                #expect(raised.status == .ok && raised.text.contains("异议已收到"))
                #expect(!(try await citizen.get("/gongshi").text.contains("刘先生")), "the public page names no one who objected")

                // The notice's end comes; the waiting objection holds it open, and no new one is taken.
                try await Task.sleep(for: .milliseconds(3200))
                try await citizen.get("/gongshi")
                let late = try await citizen.post(
                    "/gongshi/CEI2-HE-001/objection", ["name": "王女士", "contact": "139", "reason": "公示期已过"])
                #expect(late.status == .notFound, "the notice has ended")
                try await runProgressJobs(pool, until: try await closeJobs(pool))
                #expect(try await status(pool) == "accepted")

                let page = try await province.get("/desk/notices")
                #expect(page.text.contains("刘先生") && page.text.contains("工地夜间仍有扬尘") && page.text.contains("不予销号"))
                let id = try await pool.query("SELECT id FROM rectify_public_objections")[0].decode(Int64.self, at: 0)
                let noReason = try await province.post("/desk/objections/\(id)/decision", ["decision": "dismiss", "reason": ""])
                #expect(noReason.status == .unprocessableContent && noReason.text.contains("须说明理由"))
                try await province.get("/desk/notices")
                let dismissed = try await province.post(
                    "/desk/objections/\(id)/decision", ["decision": "dismiss", "reason": "经现场核查，夜间施工已停止"])
                #expect(dismissed.status == .seeOther)
                try await runProgressJobs(pool, until: try await closeJobs(pool))
                #expect(try await status(pool) == "closed", "the last decision ends the notice, and the task closes")
            }
        }
    }

    @Test("an upheld objection sends the task back; the public may raise five an hour from one address; a lead unit's own office may not object")
    func upheldAndLimits() async throws {
        let database = try await TestDatabase.fresh("deskupheld")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            try await DeskPeople.add(pool, office: fixture.province.office.id, name: "赵敏", login: "zhaomin")
            var settings = APIFixture.settings()
            settings.publicNotice = .exactly(.seconds(30))
            try await APIFixture.withClient(pool, settings: settings) { client in
                var province = DeskBrowser(client)
                try await province.signIn("zhaomin", DeskPeople.password)
                try await acceptedTask(pool, fixture, client, &province)
                let own = try await client.send(.post, "/v1/tasks/CEI2-HE-001/objection", token: fixture.city.token, json: #"{"reason":"x"}"#)
                #expect(own.status == .forbidden && own.error["code"] == "role_forbidden", "the lead unit's own office: \(own.text)")

                var citizen = DeskBrowser(client)
                for attempt in 0..<6 {
                    try await citizen.get("/gongshi")
                    let raised = try await citizen.post(
                        "/gongshi/CEI2-HE-001/objection", ["name": "刘先生", "contact": "138", "reason": "第\(attempt)次"])
                    #expect(raised.status == (attempt < 5 ? .ok : .tooManyRequests), "objection \(attempt)")
                }
                let id = try await pool.query("SELECT min(id) FROM rectify_public_objections")[0].decode(Int64.self, at: 0)
                try await province.get("/desk/notices")
                let upheld = try await province.post("/desk/objections/\(id)/decision", ["decision": "uphold", "reason": "属实"])
                #expect(upheld.status == .seeOther)
                #expect(try await status(pool) == "in_progress")
                #expect(try await client.send(.get, "/gongshi").text.contains("目前没有公示中的任务"))
            }
            let note = try await pool.query("""
                SELECT note FROM rectify_task_history WHERE task = 'CEI2-HE-001' AND source = 'objection'
                """)[0].decode(String.self, at: 0)
            #expect(note.contains("公众异议（刘先生）：第0次") && note.contains("属实"))
        }
    }
}
