import Foundation
import Hummingbird

/// Answers 429 with `Retry-After` to a client over its limit: per address for every request
/// but the probes and metrics, and per office token for requests that carry one. The address is
/// the connection's peer, or, when the peer is one of the configured reverse proxies, the
/// nearest address in `X-Forwarded-For` that is not one of them; a forwarded address from
/// anyone else is ignored, so a client cannot pick its own.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let perAddress: RateLimiter
    let perToken: RateLimiter
    let trustedProxies: Set<String>

    /// Paths that monitoring polls; never limited.
    static let exempt: Set<String> = ["/healthz", "/readyz", "/metrics"]

    init(settings: APIServer.Settings) {
        perAddress = RateLimiter(limit: settings.rateLimitPerAddress)
        perToken = RateLimiter(limit: settings.rateLimitPerToken)
        trustedProxies = Set(settings.trustedProxies)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.clientAddress = Self.clientAddress(
            peer: context.peerAddress, forwardedFor: request.headers[values: .init("X-Forwarded-For")!], trusted: trustedProxies)
        guard !Self.exempt.contains(request.uri.path) else { return try await next(request, context) }
        if let wait = perAddress.take(context.clientAddress) {
            throw APIError.tooManyRequests("too many requests from \(context.clientAddress)", retryAfter: wait)
        }
        if let header = request.headers[.authorization], header.utf8.count <= 300, let wait = perToken.take(header) {
            throw APIError.tooManyRequests("too many requests with this token", retryAfter: wait)
        }
        return try await next(request, context)
    }

    /// Who is asking: `peer`, unless it is a trusted proxy, in which case the rightmost address
    /// in `X-Forwarded-For` that is not a trusted proxy (the one the nearest proxy saw).
    static func clientAddress(peer: String?, forwardedFor: [String], trusted: Set<String>) -> String {
        let peer = peer ?? "unknown"
        guard trusted.contains(peer) else { return peer }
        let chain = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        return chain.reversed().first { !$0.isEmpty && !trusted.contains($0) && $0.utf8.count <= 64 } ?? peer
    }
}
