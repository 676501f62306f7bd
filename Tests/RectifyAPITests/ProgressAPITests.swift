import Foundation
import Hummingbird
import HummingbirdTesting
import RectifyAPI
import RectifyDomain
import RectifyLedger
import RectifyPostgres
import RectifyProgress
import RectifyTesting
import Testing

@Suite("POST /v1/progress and the offices' tokens", .database)
struct ProgressAPITests {
    @Test("missing, malformed, unknown and revoked tokens get 401 in the error shape, and write nothing")
    func authentication() async throws {
        let database = try await TestDatabase.fresh("apiauth")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            let revoked = try await OfficeRegistry(pool: pool).add(region: "130100", name: "Old office", role: nil)
            try await OfficeRegistry(pool: pool).revoke(id: revoked.office.id)
            try await APIFixture.withClient(pool) { client in
                for token in [nil, "", "rct_wrong", revoked.token] {
                    let response = try await client.send(.post, "/v1/progress", token: token, json: submissionJSON())
                    #expect(response.status == .unauthorized, "\(token ?? "none")")
                    #expect(response.error["code"] == "unauthorized" && response.error["message"]?.isEmpty == false)
                    #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="rectify""#)
                }
                let get = try await client.send(.get, "/v1/tasks", token: revoked.token)
                #expect(get.status == .unauthorized)
                // A token in use stops working within the server's one-second memory of it.
                #expect(try await client.send(.get, "/v1/tasks", token: fixture.county.token).status == .ok)
                try await OfficeRegistry(pool: pool).revoke(id: fixture.county.office.id)
                let refused = try await eventually(timeout: .seconds(5)) {
                    try await client.send(.get, "/v1/tasks", token: fixture.county.token).status == .unauthorized
                }
                #expect(refused)
            }
            #expect(try await fixture.written() == [0, 0])
            try await APIFixture.withClient(pool) { client in
                let lines = submissionJSON().replacingOccurrences(of: "Closed 3 of 5", with: #"Closed 3\n\tof 5\r\n"#)
                let accepted = try await client.send(.post, "/v1/progress", token: fixture.city.token, json: lines)
                #expect(accepted.status == .accepted, "tabs and line breaks are free text's: \(accepted.text)")
            }
        }
    }

    @Test("a task outside the office's region is 403 and writes nothing; inside it is 202 with the job")
    func scope() async throws {
        let database = try await TestDatabase.fresh("apiscope")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            try await APIFixture.withClient(pool) { client in
                let outside = try await client.send(.post, "/v1/progress", token: fixture.county.token, json: submissionJSON())
                #expect(outside.status == .forbidden)
                #expect(outside.error["code"] == "out_of_scope" && outside.error["field"] == "task")
                #expect(try await fixture.written() == [0, 0])
                let ops = try await client.send(.post, "/v1/progress", token: fixture.ops.token, json: submissionJSON())
                #expect(ops.status == .forbidden && ops.error["code"] == "role_forbidden")

                let inside = try await client.send(.post, "/v1/progress", token: fixture.city.token, json: submissionJSON(id: "s-1"))
                #expect(inside.status == .accepted, "\(inside.text)")
                let job = try #require(inside.object["job_id"] as? Int)
                #expect(inside.headers[.location] == "/v1/jobs/\(job)")
                #expect(try await fixture.written() == [1, 1])

                let mine = try await client.send(.get, "/v1/jobs/\(job)", token: fixture.city.token)
                #expect(mine.status == .ok && mine.object["state"] as? String == "available" && mine.object["kind"] as? String == "apply_progress")
                #expect(mine.object.keys.contains("last_error"))
                let theirs = try await client.send(.get, "/v1/jobs/\(job)", token: fixture.county.token)
                #expect(theirs.status == .notFound && theirs.error["code"] == "not_found")
                #expect(try await client.send(.get, "/v1/jobs/abc", token: fixture.city.token).status == .notFound)
            }
        }
    }

    @Test("every validation rule of the SPEC answers 4xx naming the field, and writes nothing")
    func validation() async throws {
        let database = try await TestDatabase.fresh("apivalidation")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            let future = "\(Period(containing: Date(), in: TimeZone(identifier: "Asia/Shanghai")!).next.next)"
            let cases: [(String, String, HTTPResponse.Status, String, String?)] = [
                ("unknown task", submissionJSON(task: "CEI2-HE-999"), .unprocessableContent, "unknown_task", "task"),
                ("malformed period", submissionJSON(period: "2026-1"), .badRequest, "invalid_field", "period"),
                ("period in the future", submissionJSON(period: future), .unprocessableContent, "period_in_future", "period"),
                ("progress over 100", submissionJSON(progress: 101), .badRequest, "invalid_field", "progress"),
                ("progress below 0", submissionJSON(progress: -5), .badRequest, "invalid_field", "progress"),
                ("progress as text", submissionJSON(progress: "55"), .badRequest, "invalid_field", "progress"),
                ("progress below accepted", submissionJSON(task: "CEI2-HE-002", progress: 90, status: "closed"),
                 .unprocessableContent, "progress_below_accepted", "progress"),
                ("office accepts", submissionJSON(status: "accepted"), .conflict, "transition_forbidden", "status"),
                ("office closes", submissionJSON(status: "closed"), .conflict, "transition_forbidden", "status"),
                ("backwards", submissionJSON(status: "not_started"), .conflict, "transition_forbidden", "status"),
                ("unknown field", submissionJSON(extra: #","owner":"me""#), .badRequest, "unknown_field", "owner"),
                ("missing field", #"{"submission_id":"x","task":"CEI2-HE-001","period":"2026-10","status":"in_progress"}"#,
                 .badRequest, "invalid_field", "progress"),
                ("malformed JSON", #"{"submission_id": "#, .badRequest, "malformed_json", nil),
                ("not an object", "[]", .badRequest, "malformed_json", nil),
                ("oversized body", submissionJSON(extra: #","summary2":""# + String(repeating: "x", count: 70_000) + #"""#),
                 .contentTooLarge, "body_too_large", nil),
                ("NUL in the submission id", submissionJSON(id: #"\u0000x"#), .unprocessableContent, "control_character", "submission_id"),
                ("NUL in an evidence name", submissionJSON(extra: #","evidence":[{"name":"\u0000","sha256":"\#(String(repeating: "a", count: 64))"}]"#),
                 .unprocessableContent, "control_character", "evidence[0].name"),
                ("NUL in the summary", submissionJSON().replacingOccurrences(of: "Closed 3 of 5", with: #"a\u0000b"#),
                 .unprocessableContent, "control_character", "summary"),
                ("escape in the task", submissionJSON(task: #"CEI2-HE-001\u001b"#), .unprocessableContent, "control_character", "task"),
                ("period in year one", submissionJSON(period: "0001-01"), .unprocessableContent, "period_before_feedback", "period"),
                ("period before the round's feedback", submissionJSON(period: "2022-05"), .unprocessableContent, "period_before_feedback", "period"),
            ]
            try await APIFixture.withClient(pool) { client in
                for (name, body, status, code, field) in cases {
                    let response = try await client.send(.post, "/v1/progress", token: fixture.city.token, json: body)
                    #expect(response.status == status, "\(name): \(response.text)")
                    #expect(response.error["code"] == code, "\(name): \(response.text)")
                    #expect(response.error["field"] == field, "\(name): \(response.text)")
                    #expect(response.headers[.contentType] == "application/json")
                }
                let wrongType = try await client.send(.post, "/v1/progress", token: fixture.city.token, json: submissionJSON(), contentType: "text/plain")
                #expect(wrongType.status == .unsupportedMediaType && wrongType.error["code"] == "unsupported_media_type")
            }
            #expect(try await fixture.written() == [0, 0])
        }
    }

    @Test("re-sending a submission id returns the first answer; two identical requests at once store one; ids are per office")
    func idempotency() async throws {
        let database = try await TestDatabase.fresh("apiidempotent")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            try await APIFixture.withClient(pool) { client in
                for round in 0..<4 {
                    let body = submissionJSON(id: "race-\(round)", progress: 50 + round)
                    async let first = client.send(.post, "/v1/progress", token: fixture.city.token, json: body)
                    async let second = client.send(.post, "/v1/progress", token: fixture.city.token, json: body)
                    let (a, b) = try await (first, second)
                    #expect(a.status == .accepted && b.status == .accepted)
                    #expect(a.text == b.text, "the same answer")
                    let again = try await client.send(.post, "/v1/progress", token: fixture.city.token, json: body)
                    #expect(again.status == .accepted && again.text == a.text)
                }
                // Ids are each office's own: the province's "race-0" is its own submission, and
                // the city's answer under that id is unchanged.
                let cityFirst = try await client.send(.post, "/v1/progress", token: fixture.city.token, json: submissionJSON(id: "race-0", progress: 50))
                let province = try await client.send(
                    .post, "/v1/progress", token: fixture.province.token, json: submissionJSON(id: "race-0", progress: 60))
                #expect(province.status == .accepted, "\(province.text)")
                #expect(province.object["job_id"] as? Int != cityFirst.object["job_id"] as? Int)
                let cityAgain = try await client.send(.post, "/v1/progress", token: fixture.city.token, json: submissionJSON(id: "race-0", progress: 50))
                #expect(cityAgain.text == cityFirst.text)
                // A submission stored before submissions recorded their job (an upgraded database).
                try await pool.query("UPDATE rectify_progress_submissions SET job_id = NULL WHERE submission_id = 'race-1'")
                let unrecorded = try await client.send(.post, "/v1/progress", token: fixture.city.token, json: submissionJSON(id: "race-1", progress: 51))
                #expect(unrecorded.status == .conflict && unrecorded.error["code"] == "submission_id_taken")
                #expect(unrecorded.error["message"]?.contains("received before submissions recorded their job") == true,
                        "not blamed on another office: \(unrecorded.text)")
            }
            #expect(try await fixture.written() == [5, 5])
        }
    }

    @Test("unknown paths are 404 and wrong methods 405 with Allow, in the error shape")
    func notFoundAndMethod() async throws {
        let database = try await TestDatabase.fresh("api404")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            try await APIFixture.withClient(pool) { client in
                let missing = try await client.send(.get, "/v2/nothing")
                #expect(missing.status == .notFound && missing.error["code"] == "not_found")
                let method = try await client.send(.delete, "/v1/progress", token: fixture.city.token)
                #expect(method.status == .methodNotAllowed && method.error["code"] == "method_not_allowed")
                #expect(method.headers[.allow] == "POST")
                let health = try await client.send(.get, "/healthz")
                #expect(health.status == .ok && health.object["status"] as? String == "ok")
                let ready = try await client.send(.get, "/readyz")
                #expect(ready.status == .ok, "\(ready.text)")
                // A request's id: the client's own when plain, else one of the server's.
                let first = try #require(health.headers[.init("X-Request-Id")!])
                let second = try await client.send(.get, "/healthz")
                #expect(!first.isEmpty && second.headers[.init("X-Request-Id")!] != first, "each request has an id of its own")
                let given = try await client.execute(uri: "/healthz", method: .get, headers: [.init("X-Request-Id")!: "desk-7f3a-42"])
                #expect(given.headers[.init("X-Request-Id")!] == "desk-7f3a-42")
                let odd = try await client.execute(uri: "/healthz", method: .get, headers: [.init("X-Request-Id")!: "a b<script>"])
                #expect(odd.headers[.init("X-Request-Id")!].map { $0 != "a b<script>" && !$0.isEmpty } == true, "an id that is not plain is replaced")
            }
        }
    }
}
