import Foundation
import Hummingbird
import NIOCore
import RectifyAccounts
import RectifyLedger
import RectifyPostgres
import RectifyProgress
import RectifyQueue

/// The handlers of every route, with what they share. Each group of routes is in its own
/// `APIRoutes+Group.swift`.
struct APIRoutes: Sendable {
    let pool: PostgresPool
    let settings: APIServer.Settings

    /// Registers every route on `router` and records it in `routes`.
    func register(on router: Router<APIRequestContext>, routes: RouteRegistry) {
        registerProbes(on: router, routes: routes)
        let v1 = router.group().add(middleware: BearerAuthMiddleware(
            registry: OfficeRegistry(pool: pool), cache: TokenCache(lifetime: settings.tokenCacheLifetime)))
        registerProgress(on: v1, routes: routes)
        registerTasks(on: v1, routes: routes)
        registerInbox(on: v1, routes: routes)
        registerEvidence(on: v1, routes: routes)
        let desk = router.group().add(middleware: DeskSessionMiddleware(
            sessions: SessionDesk(pool: pool, policy: settings.desk.accounts), settings: settings.desk))
        registerDeskAccount(on: desk, routes: routes)
        registerDesk(on: desk, routes: routes)
        registerDeskProvince(on: desk, routes: routes)
        registerPublicNotice(on: desk, routes: routes)
        registerOps(on: desk, routes: routes)
    }

    // MARK: - Shared helpers

    /// The request body, at most the configured limit, as JSON.
    ///
    /// - Throws: 415 unless the content type is JSON, 413 past the limit.
    func jsonBody(_ request: Request) async throws -> Data {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.drop(while: isSpace).reversed().drop(while: isSpace).reversed() }
            .map { String($0).lowercased() }
        guard type == "application/json" else {
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "send the body as Content-Type: application/json")
        }
        var request = request
        let buffer = try await request.collectBody(upTo: settings.bodyLimitBytes)
        return Data(buffer.readableBytesView)
    }

    /// A JSON answer from an `Encodable` value.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// A JSON answer from a `JSONSerialization` object.
    static func json(object: Any, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func iso8601(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }

    /// A query parameter as a whole number in `range`, or `fallback` when absent.
    static func integer(_ request: Request, _ name: String, in range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        guard let text = request.uri.queryParameters[name[...]] else { return fallback }
        guard let value = Int(String(text)), range.contains(value) else {
            throw APIError(.badRequest, "invalid_field", "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)", field: name)
        }
        return value
    }

    /// A query parameter `true` or `false`, or `nil` when absent.
    static func boolean(_ request: Request, _ name: String) throws -> Bool? {
        guard let text = request.uri.queryParameters[name[...]] else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: throw APIError(.badRequest, "invalid_field", "\(name) must be true or false", field: name)
        }
    }

    /// A task id from the path, its percent-escapes decoded (the desk's links encode ids).
    static func taskID(_ context: APIRequestContext, _ name: String = "id") -> String {
        let raw = context.parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    /// A path parameter that must be a positive 64-bit id.
    static func id(_ context: APIRequestContext, _ name: String = "id") throws -> Int64 {
        guard let text = context.parameters.get(name), let id = Int64(text), id > 0 else {
            throw APIError(.notFound, "not_found", "\(context.parameters.get(name) ?? "") is not an id")
        }
        return id
    }
}
