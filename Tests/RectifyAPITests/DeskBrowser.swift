import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import RectifyAccounts
import RectifyPostgres
import Testing

/// A browser for the desk in tests: keeps the cookies the server sets and sends them back,
/// posts forms, and finds the CSRF token in the page it last read.
struct DeskBrowser {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]
    private(set) var lastPage = ""

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    /// Reads a page.
    @discardableResult
    mutating func get(_ uri: String) async throws -> TestResponse {
        let response = try await client.execute(uri: uri, method: .get, headers: cookieHeader(), body: nil)
        keep(response)
        return response
    }

    /// Posts a form; `csrf` adds the token of the page read last (or `token` when given).
    @discardableResult
    mutating func post(_ uri: String, _ fields: [String: String], csrf: Bool = true, token: String? = nil) async throws -> TestResponse {
        var fields = fields
        if csrf, fields["csrf"] == nil { fields["csrf"] = token ?? csrfToken }
        let body = fields.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        var headers = cookieHeader()
        headers[.contentType] = "application/x-www-form-urlencoded"
        let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        keep(response)
        return response
    }

    /// Signs in through the sign-in page.
    @discardableResult
    mutating func signIn(_ login: String, _ password: String) async throws -> TestResponse {
        try await get("/desk/signin")
        return try await post("/desk/signin", ["login": login, "password": password])
    }

    /// The first CSRF token on the page read last.
    var csrfToken: String? {
        guard let range = lastPage.range(of: #"name="csrf" value=""#) else { return nil }
        return String(lastPage[range.upperBound...].prefix { $0 != "\"" })
    }

    /// Forgets a cookie, as a browser does when a session cookie's window closes.
    mutating func drop(_ name: String) { cookies[name] = nil }

    private func cookieHeader() -> HTTPFields {
        guard !cookies.isEmpty else { return [:] }
        return [.cookie: cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")]
    }

    private mutating func keep(_ response: TestResponse) {
        lastPage = String(buffer: response.body)
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            let name = String(pair[0]).trimmingCharacters(in: .whitespaces)
            if header.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = String(pair[1]) }
        }
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}

/// People of the fixture's offices, with passwords set.
enum DeskPeople {
    /// The password every test person gets.
    static let password = "Baoding-Desk-2026"
    /// A cheap bcrypt for tests; the product's cost is measured in BENCHMARKS.md.
    static var policy: AccountPolicy {
        var policy = AccountPolicy()
        policy.passwordCost = 4
        return policy
    }

    /// Creates a person of `office` with ``password`` set.
    @discardableResult
    static func add(_ pool: PostgresPool, office: Int64, name: String, login: String) async throws -> Person {
        let registry = PeopleRegistry(pool: pool, policy: policy)
        let (_, link) = try await registry.add(office: office, name: name, login: login)
        return try await registry.setPassword(link: link, password: password)
    }
}
