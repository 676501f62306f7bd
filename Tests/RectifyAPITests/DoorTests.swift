import Foundation
import Hummingbird
import HummingbirdTesting
import RectifyAPI
import RectifyPostgres
import RectifyTesting
import Testing

/// What the server does at its door, whoever knocks: the browser's protections on every
/// answer, and 503 (never 500) when it cannot serve now.
@Suite("The door", .database)
struct DoorTests {
    @Test("every answer carries the security headers: pages, JSON, errors and unknown paths")
    func securityHeaders() async throws {
        let database = try await TestDatabase.fresh("doorheaders")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            try await APIFixture.withClient(pool) { client in
                let answers = [
                    try await client.send(.get, "/ops"),
                    try await client.send(.get, "/v1/tasks?region=130100", token: fixture.city.token),
                    try await client.send(.post, "/v1/progress", token: "rct_unknown", json: submissionJSON()),
                    try await client.send(.get, "/no/such/page"),
                ]
                for answer in answers {
                    let policy = try #require(answer.headers[.contentSecurityPolicy], "\(answer.status)")
                    #expect(policy.contains("frame-ancestors 'none'") && policy.contains("default-src 'none'"))
                    #expect(!policy.contains("script-src"), "no scripts are allowed")
                    #expect(answer.headers[.xContentTypeOptions] == "nosniff")
                    #expect(answer.headers[.init("X-Frame-Options")!] == "DENY")
                    #expect(answer.headers[.init("Referrer-Policy")!] == "same-origin")
                }
            }
        }
    }

    @Test("a pool with no connection free answers 503 server_busy with Retry-After, and serves again once one is")
    func poolExhausted() async throws {
        let database = try await TestDatabase.fresh("doorbusy")
        let fixture = try await database.withPool { pool in try await APIFixture.load(pool) }
        try await database.withPool(maxConnections: 1, acquireTimeout: .milliseconds(200)) { pool in
            try await APIFixture.withClient(pool) { client in
                let busy = try await pool.withConnection { _ in
                    try await client.send(.get, "/v1/tasks?region=130100", token: fixture.city.token)
                }
                #expect(busy.status == .serviceUnavailable, "\(busy.text)")
                #expect(busy.error["code"] == "server_busy")
                #expect(busy.headers[.retryAfter] == "1")
                let free = try await client.send(.get, "/v1/tasks?region=130100", token: fixture.city.token)
                #expect(free.status == .ok, "\(free.text)")
            }
        }
    }
}
