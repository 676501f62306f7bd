import Hummingbird

/// Puts the browser's protections on every answer, pages and errors alike: a
/// Content-Security-Policy that allows only this server's own resources and no scripts, no
/// framing by other sites (`frame-ancestors 'none'`), `nosniff`, and a referrer that never
/// leaves the site.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    /// Pages carry their styles inline and their charts as inline SVG; nothing runs scripts.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.init("X-Frame-Options")!] = "DENY"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.init("Referrer-Policy")!] = "same-origin"
        return response
    }
}
