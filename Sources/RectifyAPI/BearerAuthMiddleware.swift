import Hummingbird
import Logging
import RectifyLedger
import RectifyPostgres
import RectifyProgress
import Synchronization

/// Finds the office of `Authorization: Bearer <token>`: missing, unknown and revoked tokens
/// get 401. Only a SHA-256 of each token is stored; the lookup compares hashes. A token found
/// is remembered for `cache` (default 1 s), so a revocation takes effect within that time.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let registry: OfficeRegistry
    let cache: TokenCache

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("send Authorization: Bearer <office token>")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty, parts[1].utf8.count <= 200 else {
            throw APIError.unauthorized("the Authorization header must be Bearer <office token>")
        }
        let token = String(parts[1])
        let office: Office
        if let cached = cache.office(for: token) {
            office = cached
        } else {
            guard let found = try await registry.office(forToken: token) else {
                throw APIError.unauthorized("the token is unknown or revoked")
            }
            cache.remember(found, for: token)
            office = found
        }
        var context = context
        context.office = office
        context.logger[metadataKey: LogMetadataKey.officeID] = "\(office.id)"
        return try await next(request, context)
    }
}

/// Offices found by token in the last moments, so that a burst of requests from one office
/// costs one lookup. Unknown tokens are never remembered.
final class TokenCache: Sendable {
    private let lifetime: Duration
    private let entries = Mutex<[String: (office: Office, until: ContinuousClock.Instant)]>([:])

    init(lifetime: Duration) {
        self.lifetime = lifetime
    }

    func office(for token: String) -> Office? {
        guard lifetime > .zero else { return nil }
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard entry.until > now else {
                entries[token] = nil
                return nil
            }
            return entry.office
        }
    }

    func remember(_ office: Office, for token: String) {
        guard lifetime > .zero else { return }
        let until = ContinuousClock.now + lifetime
        entries.withLock { entries in
            if entries.count >= 10_000 { entries.removeAll(keepingCapacity: true) }
            entries[token] = (office, until)
        }
    }
}
