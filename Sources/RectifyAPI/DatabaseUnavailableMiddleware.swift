public import Hummingbird
import Logging
import RectifyPostgres

/// Answers `503 Service Unavailable` when a route fails because the database cannot be reached
/// (down, restarting, or every pooled connection busy past the acquire timeout), instead of a
/// bare 500: the server itself is fine and the request may be retried.
public struct DatabaseUnavailableMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Creates the middleware.
    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as PostgresError where error.isConnectionError || error.code == .poolExhausted {
            context.logger.warning("database unavailable", metadata: ["error": "\(error)"])
            throw HTTPError(.serviceUnavailable, message: "the database is unavailable; retry later")
        }
    }
}
