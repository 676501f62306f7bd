public import Hummingbird
import Logging
import RectifyPostgres
import RectifyProgress

/// Finds the office of `Authorization: Bearer <token>`: missing, unknown and revoked tokens
/// get 401. Only a SHA-256 of each token is stored; the lookup compares hashes.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let registry: OfficeRegistry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("send Authorization: Bearer <office token>")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty, parts[1].utf8.count <= 200 else {
            throw APIError.unauthorized("the Authorization header must be Bearer <office token>")
        }
        guard let office = try await registry.office(forToken: String(parts[1])) else {
            throw APIError.unauthorized("the token is unknown or revoked")
        }
        var context = context
        context.office = office
        context.logger[metadataKey: LogMetadataKey.officeID] = "\(office.id)"
        return try await next(request, context)
    }
}
