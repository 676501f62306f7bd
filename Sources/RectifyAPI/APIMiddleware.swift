import Foundation
import Hummingbird
import Logging
import Metrics
import RectifyPostgres
import RectifyQueue
import Synchronization

/// Logs each request once with its id, route, status and time, and answers `X-Request-Id`.
///
/// The id is the client's own `X-Request-Id` when it sends a plain one (letters, digits and
/// dashes, at most 64), logged as `rectify.request.id`; otherwise it is the id Hummingbird
/// already logs as `hb.request.id`, so a request costs no second id and no second metadata
/// entry (Foundation's `UUID()` opened `/dev/urandom` on every request).
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let given = request.headers[.init("X-Request-Id")!]
        if let given, given.count <= 64, given.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
            context.requestID = given
            context.logger[metadataKey: LogMetadataKey.requestID] = "\(given)"
        } else {
            context.requestID = context.id
        }
        let started = ContinuousClock.now
        var response = try await next(request, context)
        response.headers[.init("X-Request-Id")!] = context.requestID
        let level: Logger.Level = response.status.code >= 500 ? .warning : .info
        context.logger.log(level: level, "request", metadata: [
            "http.method": "\(request.method.rawValue)", "http.route": "\(context.endpointPath ?? "unmatched")",
            "http.status": "\(response.status.code)",
            "duration_ms": "\(String(format: "%.1f", started.duration(to: .now).secondsDouble * 1000))",
        ])
        return response
    }
}

/// `rectify_http_requests_total{route,method,status}` and
/// `rectify_http_request_duration_seconds{route,method,status}`; the route is the template
/// (`/v1/tasks/:id`), never the raw path, and `unmatched` for paths no route knows.
struct HTTPMetricsMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    private let cache = HTTPMetricsCache()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        let (counter, timer) = cache.metrics(route: route, method: request.method.rawValue, status: response.status.code)
        counter.increment()
        timer.record(duration: started.duration(to: .now))
        return response
    }
}

/// The counter and timer of each route, method and status, made once: asking the metrics
/// backend for them on every request cost a lookup under its lock.
final class HTTPMetricsCache: Sendable {
    private struct Key: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    private let entries = Mutex<[Key: (Counter, Metrics.Timer)]>([:])

    func metrics(route: String, method: String, status: Int) -> (Counter, Metrics.Timer) {
        let key = Key(route: route, method: method, status: status)
        return entries.withLock { entries in
            if let found = entries[key] { return found }
            let dimensions = [("route", route), ("method", method), ("status", "\(status)")]
            let made = (
                Counter(label: "rectify_http_requests_total", dimensions: dimensions),
                Metrics.Timer(label: "rectify_http_request_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
            )
            entries[key] = made
            return made
        }
    }
}

/// Turns every error into the SPEC's JSON error shape: 404 and 405 for unknown routes, 413 for
/// oversized bodies, 503 while the database is unreachable or the pool has no connection free;
/// unexpected errors are logged and answered 500 without detail.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let routes: RouteRegistry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let redirect as DeskRedirect {
            return try redirect.response(from: request, context: context)
        } catch {
            var answer = APIError.from(error)
            if answer.status == .notFound, context.endpointPath == "NotFound" || context.endpointPath == nil {
                let allowed = routes.table.methods(matching: request.uri.path)
                if allowed.isEmpty {
                    answer = APIError(.notFound, "not_found", "no route for \(request.uri.path)")
                } else {
                    answer = APIError(.methodNotAllowed, "method_not_allowed", "\(request.method.rawValue) is not allowed here; use \(allowed.joined(separator: ", "))")
                    answer.headers[.allow] = allowed.joined(separator: ", ")
                }
            }
            if answer.status == .internalServerError {
                context.logger.error("request failed", metadata: [LogMetadataKey.error: "\(String(reflecting: error))"])
            } else if answer.status == .serviceUnavailable {
                context.logger.warning("unavailable", metadata: ["code": "\(answer.code)", LogMetadataKey.error: "\(error)"])
            }
            return try answer.response(from: request, context: context)
        }
    }
}
