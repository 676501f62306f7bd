import Foundation
import Glibc
import Hummingbird
import HummingbirdTesting
@testable import RectifyAPI
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

extension DoorTests {
    @Test("over its limit a client gets 429 with Retry-After, per address and per token; probes are never limited")
    func rateLimits() async throws {
        let database = try await TestDatabase.fresh("doorlimits")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            var settings = APIFixture.settings()
            settings.rateLimitPerAddress = RateLimit(perSecond: 0.01, burst: 6)
            settings.rateLimitPerToken = RateLimit(perSecond: 0.01, burst: 2)
            try await APIFixture.withClient(pool, settings: settings) { client in
                let tasks = "/v1/tasks?region=130100"
                #expect(try await client.send(.get, tasks, token: fixture.city.token).status == .ok)
                #expect(try await client.send(.get, tasks, token: fixture.city.token).status == .ok)
                let overToken = try await client.send(.get, tasks, token: fixture.city.token)
                #expect(overToken.status == .tooManyRequests && overToken.error["code"] == "too_many_requests")
                #expect(Int(overToken.headers[.retryAfter] ?? "") ?? 0 >= 1)
                // Another office's token has its own bucket, until the address runs out.
                #expect(try await client.send(.get, tasks, token: fixture.province.token).status == .ok)
                #expect(try await client.send(.get, tasks, token: fixture.province.token).status == .ok)
                #expect(try await client.send(.get, "/desk/signin").status == .ok)
                let overAddress = try await client.send(.get, "/desk/signin")
                #expect(overAddress.status == .tooManyRequests && overAddress.headers[.retryAfter] != nil)
                for probe in ["/healthz", "/metrics"] {
                    #expect(try await client.send(.get, probe).status == .ok, "\(probe) is not limited")
                }
            }
        }
    }

    @Test("a forwarded address counts only from a trusted proxy, and then the nearest untrusted one")
    func forwardedAddress() {
        let proxies: Set<String> = ["10.0.0.2", "10.0.0.3"]
        #expect(RateLimitMiddleware.clientAddress(peer: "203.0.113.9", forwardedFor: ["198.51.100.1"], trusted: proxies) == "203.0.113.9")
        #expect(RateLimitMiddleware.clientAddress(peer: "10.0.0.2", forwardedFor: ["198.51.100.1"], trusted: proxies) == "198.51.100.1")
        #expect(RateLimitMiddleware.clientAddress(
            peer: "10.0.0.2", forwardedFor: ["1.2.3.4, 198.51.100.1, 10.0.0.3"], trusted: proxies) == "198.51.100.1",
            "a client's own X-Forwarded-For entry (1.2.3.4) is never believed")
        #expect(RateLimitMiddleware.clientAddress(peer: "10.0.0.2", forwardedFor: [], trusted: proxies) == "10.0.0.2")
        #expect(RateLimitMiddleware.clientAddress(peer: nil, forwardedFor: ["198.51.100.1"], trusted: proxies) == "unknown")
    }

    @Test("a half-sent head and a trickled body lose their connection; a slow body that keeps its rate is served")
    func slowClients() async throws {
        let database = try await TestDatabase.fresh("doorslow")
        try await database.withPool { pool in
            let fixture = try await APIFixture.load(pool)
            var settings = APIFixture.settings()
            settings.connectionLimits.headerTimeout = .seconds(1)
            settings.connectionLimits.window = .seconds(1)
            settings.connectionLimits.minimumBodyRate = 1000
            let app = APIServer.application(pool: pool, settings: settings, logger: TestLogging.logger)
            try await app.test(.live) { client in
                let port = try #require(client.port)
                // Half a head, then nothing: closed (recv returns 0), not left open until our own
                // 30-second read timeout (-1).
                let half = try RawConnection(port: port)
                try half.send("POST /v1/progress HTTP/1.1\r\nHost: localhost\r\n")
                #expect(half.readUntilClosed().closed, "a half-sent head is closed")

                // A head, then a body at 10 bytes a second against a 1,000-byte floor.
                let trickle = try RawConnection(port: port)
                try trickle.send(Self.head(token: fixture.city.token, length: 10_000))
                for _ in 0..<30 {
                    guard (try? trickle.send(String(repeating: " ", count: 5))) != nil else { break }
                    try await Task.sleep(for: .milliseconds(500))
                }
                #expect(trickle.readUntilClosed().closed, "a trickled body is closed")

                // 6,000 bytes at about 2,500 a second: slow, but above the floor.
                let json = submissionJSON(id: "slow-phone")
                let body = json + String(repeating: " ", count: 6000 - json.utf8.count)
                let slow = try RawConnection(port: port)
                try slow.send(Self.head(token: fixture.city.token, length: body.utf8.count))
                var rest = Substring(body)
                while !rest.isEmpty {
                    try slow.send(String(rest.prefix(500)))
                    rest = rest.dropFirst(500)
                    try await Task.sleep(for: .milliseconds(200))
                }
                let answer = slow.readUntilClosed(stopAt: "\r\n\r\n")
                #expect(answer.text.hasPrefix("HTTP/1.1 202"), "\(answer.text)")
            }
        }
    }

    private static func head(token: String, length: Int) -> String {
        "POST /v1/progress HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(token)\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(length)\r\n\r\n"
    }
}

/// A plain TCP connection to the server on loopback, for clients no HTTP library would be:
/// slow, half-sent, trickling.
private final class RawConnection {
    private let socket: Int32

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    deinit { close(socket) }

    func send(_ text: String) throws {
        let sent = text.utf8CString.withUnsafeBufferPointer { Glibc.send(socket, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL)) }
        guard sent >= 0 else { throw POSIXError(.EPIPE) }
    }

    /// Reads until the server closes (`closed`), the read times out, or `stopAt` has been read.
    func readUntilClosed(stopAt: String? = nil) -> (closed: Bool, text: String) {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count == 0 { return (true, String(decoding: bytes, as: UTF8.self)) }
            if count < 0 { return (errno == ECONNRESET, String(decoding: bytes, as: UTF8.self)) }
            bytes += buffer[0..<count]
            if let stopAt, String(decoding: bytes, as: UTF8.self).contains(stopAt) { return (false, String(decoding: bytes, as: UTF8.self)) }
        }
    }
}
