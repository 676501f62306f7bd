import Foundation
import Hummingbird
import HummingbirdTesting
import RectifyAPI
import RectifyLedger
import RectifyPostgres
import RectifyProgress
import RectifyQueue
import RectifyTesting
import RectifyWorker
import Testing

@Suite("Tasks, close-out, notifications and jobs over HTTP", .processes)
struct TasksAPITests {
    @Test("GET /v1/tasks lists what an office may see, with filters and pages; a region outside it is 403")
    func listing() async throws {
        let database = try await TestDatabase.fresh("apitasks")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            try await APIFixture.withClient(pool) { client in
                let city = try await client.send(.get, "/v1/tasks", token: fixture.city.token)
                #expect(city.status == .ok)
                let tasks = try #require(city.object["tasks"] as? [[String: Any]])
                #expect(tasks.map { $0["id"] as? String } == ["CEI2-HE-001", "CEI2-HE-002"])
                #expect(tasks[0]["lead_unit_name"] as? String == "Shijiazhuang Municipal Government")
                #expect(tasks[0]["overdue"] as? Bool == true && tasks[1]["overdue"] as? Bool == false)
                let county = try await client.send(.get, "/v1/tasks", token: fixture.county.token)
                #expect((county.object["tasks"] as? [[String: Any]])?.map { $0["id"] as? String } == ["CEI2-HE-002"])

                let overdue = try await client.send(.get, "/v1/tasks?overdue=true&region=130100", token: fixture.province.token)
                #expect((overdue.object["tasks"] as? [[String: Any]])?.count == 1)
                let closed = try await client.send(.get, "/v1/tasks?status=closed", token: fixture.province.token)
                #expect((closed.object["tasks"] as? [[String: Any]])?.map { $0["id"] as? String } == ["CEI2-HE-002"])
                let first = try await client.send(.get, "/v1/tasks?limit=1", token: fixture.ops.token)
                #expect(first.object["next_after"] as? String == "CEI2-HE-001")
                let second = try await client.send(.get, "/v1/tasks?limit=1&after=CEI2-HE-001", token: fixture.ops.token)
                #expect((second.object["tasks"] as? [[String: Any]])?.first?["id"] as? String == "CEI2-HE-002")
                #expect(second.object["next_after"] is NSNull)

                let outside = try await client.send(.get, "/v1/tasks?region=130100", token: fixture.county.token)
                #expect(outside.status == .forbidden && outside.error["code"] == "out_of_scope" && outside.error["field"] == "region")
                for bad in ["status=done", "overdue=maybe", "limit=0", "limit=x", "region=13"] {
                    let response = try await client.send(.get, "/v1/tasks?\(bad)", token: fixture.city.token)
                    #expect(response.status == .badRequest, "\(bad)")
                }
                let hidden = try await client.send(.get, "/v1/tasks/CEI2-HE-001", token: fixture.county.token)
                #expect(hidden.status == .forbidden)
                let unknown = try await client.send(.get, "/v1/tasks/NOPE", token: fixture.city.token)
                #expect(unknown.status == .notFound && unknown.error["code"] == "not_found")
            }
        }
    }

    @Test("with a second province in the ledger, each province office lists only its own tasks; ops lists all")
    func secondProvince() async throws {
        let database = try await TestDatabase.fresh("apitwoprovinces")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            func ids(_ token: String) async throws -> [String] {
                try await APIFixture.withClient(pool) { client in
                    let response = try await client.send(.get, "/v1/tasks", token: token)
                    return (response.object["tasks"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
                }
            }
            #expect(try await ids(fixture.province.token) == ["CEI2-HE-001", "CEI2-HE-002"], "the only province sees every task")
            try await pool.query("""
                INSERT INTO rectify_regions (code, name, level, parent) VALUES ('140000', 'Shanxi', 'province', NULL),
                    ('140100', 'Taiyuan', 'city', '140000'), ('140105', 'Xiaodian', 'county', '140100');
                INSERT INTO rectify_units (id, name, region, kind) VALUES ('U-140105-GOV', 'Xiaodian Government', '140105', 'government');
                INSERT INTO rectify_tasks (id, round, title, category, region, lead_unit, deadline, status, progress)
                SELECT 'CEI2-SX-001', round, 'Shanxi task', 'air', '140105', 'U-140105-GOV', deadline, 'in_progress', 10
                FROM rectify_tasks WHERE id = 'CEI2-HE-001'
                """)
            let shanxi = try await OfficeRegistry(pool: pool).add(region: "140000", name: "Shanxi office", role: nil)
            #expect(try await ids(fixture.province.token) == ["CEI2-HE-001", "CEI2-HE-002"])
            #expect(try await ids(shanxi.token) == ["CEI2-SX-001"])
            #expect(try await ids(fixture.ops.token) == ["CEI2-HE-001", "CEI2-HE-002", "CEI2-SX-001"])
        }
    }

    @Test("close-out over HTTP: the province accepts, an office objects, the notice's job leaves it open; the history shows it all")
    func closeOut() async throws {
        let database = try await TestDatabase.fresh("apicloseout")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            try await APIFixture.withClient(pool) { client in
                let submitted = try await client.send(
                    .post, "/v1/progress", token: fixture.city.token, json: submissionJSON(id: "p1", progress: 100, status: "pending_acceptance"))
                let applyJob = try #require(submitted.object["job_id"] as? Int)
                try await runProgressJobs(pool, until: [Int64(applyJob)])

                let byCity = try await client.send(.post, "/v1/tasks/CEI2-HE-001/acceptance", token: fixture.city.token, json: #"{"decision":"accept"}"#)
                #expect(byCity.status == .forbidden && byCity.error["code"] == "role_forbidden")
                let bad = try await client.send(.post, "/v1/tasks/CEI2-HE-001/acceptance", token: fixture.province.token, json: #"{"decision":"maybe"}"#)
                #expect(bad.status == .badRequest && bad.error["field"] == "decision")
                let accepted = try await client.send(
                    .post, "/v1/tasks/CEI2-HE-001/acceptance", token: fixture.province.token, json: #"{"decision":"accept","note":"checked on site"}"#)
                #expect(accepted.status == .ok && accepted.object["status"] as? String == "accepted", "\(accepted.text)")
                let again = try await client.send(.post, "/v1/tasks/CEI2-HE-001/acceptance", token: fixture.province.token, json: #"{"decision":"accept"}"#)
                #expect(again.status == .conflict && again.error["code"] == "transition_forbidden")
                let noReason = try await client.send(.post, "/v1/tasks/CEI2-HE-001/objection", token: fixture.city.token, json: #"{}"#)
                #expect(noReason.status == .badRequest && noReason.error["field"] == "reason")
                let own = try await client.send(
                    .post, "/v1/tasks/CEI2-HE-001/objection", token: fixture.city.token, json: #"{"reason":"dust again at night"}"#)
                #expect(own.status == .forbidden && own.error["code"] == "role_forbidden", "the lead unit's own office may not object")
                let objected = try await client.send(
                    .post, "/v1/tasks/CEI2-HE-001/objection", token: fixture.province.token, json: #"{"reason":"dust again at night"}"#)
                #expect(objected.status == .ok && objected.object["status"] as? String == "in_progress")
                let notice = try #require(accepted.object["public_notice_job_id"] as? Int)
                try await runProgressJobs(pool, until: [Int64(notice)])

                let shown = try await client.send(.get, "/v1/tasks/CEI2-HE-001", token: fixture.city.token)
                #expect((shown.object["task"] as? [String: Any])?["status"] as? String == "in_progress")
                let history = try #require(shown.object["history"] as? [[String: Any]])
                #expect(history.map { $0["source"] as? String } == ["submission", "acceptance", "objection"])
                #expect(history[2]["note"] as? String == "dust again at night")
                #expect(history[1]["actor"] as? String == "Provincial office via API")
            }
        }
    }

    @Test("the inbox lists an office's notifications newest first, filters unread, and marks them read")
    func inbox() async throws {
        let database = try await TestDatabase.fresh("apiinbox")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            let report = try await pool.query("""
                INSERT INTO rectify_reports (kind, period, figures, issued_on, issued_at) VALUES ('monthly_schedule', '2026-10', '{}', '2026-11-03', now())
                RETURNING id
                """)[0].decode(Int64.self, at: 0)
            try await pool.query("""
                INSERT INTO rectify_notifications (report_id, kind, period, office, level, tasks) VALUES
                  (\(report), 'not_reported', '2026-10', \(fixture.city.office.id), 'reminder', '[{"task":"CEI2-HE-001"}]'),
                  (\(report), 'due_next_month', '2026-10', \(fixture.city.office.id), 'reminder', '[{"task":"CEI2-HE-001","deadline":"2026-11-30"}]'),
                  (\(report), 'not_reported', '2026-10', \(fixture.county.office.id), 'reminder', '[]')
                """)
            try await APIFixture.withClient(pool) { client in
                let all = try await client.send(.get, "/v1/notifications", token: fixture.city.token)
                let notes = try #require(all.object["notifications"] as? [[String: Any]])
                #expect(notes.map { $0["kind"] as? String } == ["due_next_month", "not_reported"])
                #expect((notes[1]["tasks"] as? [[String: Any]])?.first?["task"] as? String == "CEI2-HE-001")
                let id = try #require(notes[0]["id"] as? Int)
                let read = try await client.send(.post, "/v1/notifications/\(id)/read", token: fixture.city.token)
                #expect(read.status == .ok)
                let unread = try await client.send(.get, "/v1/notifications?unread=true", token: fixture.city.token)
                #expect((unread.object["notifications"] as? [[String: Any]])?.count == 1)
                let notMine = try await client.send(.post, "/v1/notifications/\(id)/read", token: fixture.county.token)
                #expect(notMine.status == .notFound)
            }
        }
    }

    @Test("while the database is down the API answers 503 in the error shape, and recovers by itself")
    func databaseDown() async throws {
        let cluster = try await PrivateTestCluster.start()
        do {
            var poolSettings = PostgresPoolConfiguration()
            poolSettings.healthCheckAfterIdle = .zero
            try await PostgresPool.withPool(configuration: cluster.configuration, poolConfiguration: poolSettings, logger: TestLogging.logger) { pool in
                try await TestSchema.migrate(pool)
                let fixture = try await APIFixture.load(pool)
                try await APIFixture.withClient(pool) { client in
                    #expect(try await client.send(.get, "/v1/tasks", token: fixture.city.token).status == .ok)
                    try await cluster.stopServer()
                    for path in ["/v1/tasks", "/readyz"] {
                        let down = try await client.send(.get, path, token: fixture.city.token)
                        #expect(down.status == .serviceUnavailable, "\(path): \(down.text)")
                    }
                    let post = try await client.send(.post, "/v1/progress", token: fixture.city.token, json: submissionJSON())
                    #expect(post.status == .serviceUnavailable && post.error["code"] == "database_unavailable")
                    #expect(try await client.send(.get, "/healthz").status == .ok, "the process is up")
                    try await cluster.startServer()
                    let back = try await eventually {
                        try await client.send(.get, "/v1/tasks", token: fixture.city.token).status == .ok
                    }
                    #expect(back)
                }
            }
        } catch {
            await cluster.destroy()
            throw error
        }
        await cluster.destroy()
    }
}

/// Runs a worker with the progress jobs until `jobs` are finished.
func runProgressJobs(_ pool: PostgresPool, until jobs: [Int64]) async throws {
    var registry = JobRegistry()
    ProgressJobs.register(into: &registry)
    var configuration = WorkerConfiguration()
    configuration.promoteInterval = .milliseconds(100)
    let worker = Worker(pool: pool, registry: registry, configuration: configuration, logger: TestLogging.logger)
    let queue = JobQueue(pool: pool)
    let done = try await runWorkers([worker]) {
        for id in jobs where try await !queue.job(id: id).state.isFinished { return false }
        return true
    }
    #expect(done)
}

extension TasksAPITests {
    @Test("a lead unit's own office sees and reports on its unit's tasks only, and never accepts or objects")
    func unitOffice() async throws {
        let database = try await TestDatabase.fresh("apiunitoffice")
        try await database.withPool { pool in
            _ = try await APIFixture.load(pool)
            let unit = try await OfficeRegistry(pool: pool).add(unit: "U-130100-GOV", name: "Shijiazhuang Government office")
            #expect(unit.office.role == "unit" && unit.office.region == nil && unit.office.unit == "U-130100-GOV")
            await #expect(throws: OfficeError.self) { try await OfficeRegistry(pool: pool).add(unit: "U-NOPE", name: "x") }
            let answersFor = try await pool.query("SELECT task FROM rectify_office_tasks WHERE office = \(unit.office.id)")
                .map { try $0.decode(String.self, at: 0) }
            #expect(answersFor == ["CEI2-HE-001"], "it is reminded of its unit's tasks, and only those")
            try await APIFixture.withClient(pool) { client in
                let listed = try await client.send(.get, "/v1/tasks", token: unit.token)
                let ids = (listed.object["tasks"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
                #expect(ids == ["CEI2-HE-001"], "its unit's task only: \(listed.text)")
                let asked = try await client.send(.get, "/v1/tasks?region=130000", token: unit.token)
                #expect((asked.object["tasks"] as? [[String: Any]])?.count == 1, "asking for the province widens nothing")
                #expect(try await client.send(.get, "/v1/tasks/CEI2-HE-002", token: unit.token).status == .forbidden)
                let own = try await client.send(.post, "/v1/progress", token: unit.token, json: submissionJSON(progress: 60))
                #expect(own.status == .accepted, "\(own.text)")
                let other = try await client.send(
                    .post, "/v1/progress", token: unit.token, json: submissionJSON(task: "CEI2-HE-002", progress: 100, status: "closed"))
                #expect(other.status == .forbidden || other.status == .conflict, "\(other.text)")
                #expect(other.error["code"] == "out_of_scope" || other.error["code"] == "transition_forbidden")
                let accept = try await client.send(
                    .post, "/v1/tasks/CEI2-HE-001/acceptance", token: unit.token, json: #"{"decision":"accept"}"#)
                #expect(accept.status == .forbidden && accept.error["code"] == "role_forbidden")
                let object = try await client.send(.post, "/v1/tasks/CEI2-HE-001/objection", token: unit.token, json: #"{"reason":"x"}"#)
                #expect(object.status == .forbidden && object.error["code"] == "role_forbidden")
            }
        }
    }
}
