import Foundation
public import Hummingbird
import NIOCore
import RectifyLedger
import RectifyPostgres
import RectifyProgress
import RectifyQueue
import RectifyReports

/// A failure as the API answers it: a status and the SPEC's JSON body
/// `{"error": {"code": "...", "message": "...", "field": "..."}}`. The only place errors become HTTP.
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    /// Machine-readable, snake_case (`transition_forbidden`).
    public var code: String
    /// One line naming what is wrong.
    public var message: String
    /// The request field at fault, if any.
    public var field: String?
    /// Extra headers (`Allow` on 405, `WWW-Authenticate` on 401).
    public var headers: HTTPFields = [:]

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json"
        var error: [String: String] = ["code": code, "message": message]
        if let field { error["field"] = field }
        let data = try JSONSerialization.data(withJSONObject: ["error": error], options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The API's answer to any error a handler or the framework threw. Client mistakes are
    /// 4xx; an unreachable database or a pool with no connection free is 503 with
    /// `Retry-After`; only a defect here gives 500.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as ProgressError:
            return from(error)
        case let error as ReportError:
            return APIError(.notFound, "not_found", error.message)
        case let error as QueueError where error.code == .jobNotFound:
            return APIError(.notFound, "not_found", error.message)
        case let error as QueueError where error.code == .invalidTransition || error.code == .uniqueKeyTaken:
            return APIError(.conflict, "invalid_transition", error.message)
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, "body_too_large", "the request body is larger than the limit", field: nil)
        case let error as PostgresError where error.isConnectionError || error.code == .poolClosed:
            return .unavailable("database_unavailable", "the database cannot be reached; try again shortly", retryAfter: 5)
        case let error as PostgresError where error.sqlState == .queryCanceled || error.code == .cancelled:
            return .unavailable("database_unavailable", "the database did not answer in time; try again shortly", retryAfter: 5)
        case let error as PostgresError where error.code == .poolExhausted:
            return .unavailable("server_busy", "every database connection of this server is busy; try again shortly", retryAfter: 1)
        case let error as any HTTPResponseError:
            let status = error.status
            return APIError(status, status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_"), status.reasonPhrase)
        default:
            return APIError(.internalServerError, "internal", "an internal error occurred; it has been logged")
        }
    }

    static func from(_ error: ProgressError) -> APIError {
        let status: HTTPResponse.Status
        switch error.code {
        case .malformedJSON, .unknownField, .invalidField: status = .badRequest
        case .unknownTask, .periodInFuture, .progressBelowAccepted, .controlCharacter, .periodBeforeFeedback, .evidenceNotUploaded:
            status = .unprocessableContent
        case .notFound: status = .notFound
        case .outOfScope, .roleForbidden: status = .forbidden
        case .transitionForbidden, .submissionIDTaken: status = .conflict
        default: status = .badRequest
        }
        return APIError(status, "\(error.code)", error.message, field: error.field)
    }

    /// 503 with `Retry-After`: the server cannot answer now, through no fault of the request.
    static func unavailable(_ code: String, _ message: String, retryAfter seconds: Int) -> APIError {
        var error = APIError(.serviceUnavailable, code, message)
        error.headers[.retryAfter] = "\(seconds)"
        return error
    }

    /// 429 with `Retry-After`: the client is over its rate limit.
    static func tooManyRequests(_ message: String, retryAfter seconds: Int) -> APIError {
        var error = APIError(.tooManyRequests, "too_many_requests", message + "; try again in \(seconds) s")
        error.headers[.retryAfter] = "\(seconds)"
        return error
    }

    static func unauthorized(_ message: String) -> APIError {
        var error = APIError(.unauthorized, "unauthorized", message)
        error.headers[.wwwAuthenticate] = #"Bearer realm="rectify""#
        return error
    }
}
