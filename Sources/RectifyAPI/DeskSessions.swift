import Foundation
import Hummingbird
import RectifyDomain
public import RectifyAccounts
import Logging
import RectifyLedger

/// How the desk keeps people signed in: its settings, its cookies and the middleware that finds
/// the session of each request.
public struct DeskSettings: Sendable {
    /// Whether cookies are `Secure` and named `__Host-…` (`desk.secure_cookies`): on when people
    /// reach the desk over TLS, also through a reverse proxy that ends TLS; default off.
    public var secureCookies = false
    /// How long sessions and links last and how failed sign-ins are throttled.
    public var accounts = AccountPolicy()

    /// The defaults.
    public init() {}

    /// The session cookie's name: `__Host-` when secure, so that no other site and no path can
    /// set it.
    var sessionCookie: String { secureCookies ? "__Host-rectify_session" : "rectify_session" }
    /// The cookie that carries a form's token before there is a session (sign-in, set password).
    var formCookie: String { secureCookies ? "__Host-rectify_form" : "rectify_form" }

    /// A cookie of the desk: HttpOnly, SameSite=Lax, path /, `Secure` when configured.
    func cookie(_ name: String, _ value: String, maxAge: Int?) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax)
    }
}

/// Finds the session of the request's cookie and the language it asked for; the routes decide
/// what a request without a session may do.
struct DeskSessionMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let sessions: SessionDesk
    let settings: DeskSettings

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.language = request.cookies[DeskLanguage.cookie].flatMap { DeskLanguage(rawValue: $0.value) } ?? .zh
        if request.method == .get { context.pagePath = request.uri.path }
        if let cookie = request.cookies[settings.sessionCookie]?.value, let session = try await sessions.session(cookie: cookie) {
            context.session = session
            context.logger[metadataKey: "rectify.person.id"] = "\(session.person.id)"
        }
        return try await next(request, context)
    }
}

extension APIRequestContext {
    /// The signed-in person's session, or a redirect to the sign-in page that comes back here.
    func requireSession(_ request: Request) throws -> Session {
        guard let session else { throw DeskRedirect(to: "/desk/signin?next=" + DeskForm.encode(request.uri.path)) }
        return session
    }
}

extension APIRequestContext {
    /// The signed-in person of a region's or a unit's office: ops people have the ops page
    /// only, and are sent there.
    func requireOfficeSession(_ request: Request) throws -> Session {
        let session = try requireSession(request)
        guard !session.person.office.isOps else { throw DeskRedirect(to: "/ops") }
        return session
    }
}

/// Sends the browser elsewhere (303), thrown from deep in a handler.
struct DeskRedirect: Error, HTTPResponseError {
    var to: String
    var status: HTTPResponse.Status { .seeOther }
    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: .seeOther, headers: [.location: to, .cacheControl: "no-store"])
    }
}

/// Reading the desk's forms (`application/x-www-form-urlencoded`).
enum DeskForm {
    /// The largest form body read; evidence comes through its own upload.
    static let limit = 64 << 10

    /// The fields of a form body; a field given twice keeps its first value.
    static func fields(_ request: Request) async throws -> [String: String] {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        var fields: [String: String] = [:]
        for pair in String(buffer: buffer).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
            guard parts.count == 2, let name = parts[0], let value = parts[1] else { continue }
            if fields[name] == nil { fields[name] = value }
        }
        return fields
    }

    /// A value for a path segment, a query string or a form: everything but ASCII letters,
    /// digits and `-._~` percent-encoded (a task id may hold `/` or Chinese).
    static func encode(_ text: String) -> String {
        let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
