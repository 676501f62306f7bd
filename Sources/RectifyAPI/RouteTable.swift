import Hummingbird
import Synchronization

/// Every route the server registers, as the OpenAPI document spells it (`/v1/tasks/{id}`), so
/// that a test can compare the two and the error middleware can tell 405 from 404.
public struct RouteTable: Sendable {
    /// One method on one path template.
    public struct Route: Sendable, Hashable {
        public var method: String
        /// `/v1/tasks/{id}`.
        public var path: String
    }

    public private(set) var routes: [Route] = []

    /// Records a route; returns the path in Hummingbird's syntax (`/v1/tasks/:id`).
    mutating func add(_ method: HTTPRequest.Method, _ path: String) -> RouterPath {
        routes.append(Route(method: method.rawValue, path: path))
        let segments = path.split(separator: "/").map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : String(segment)
        }
        return RouterPath("/" + segments.joined(separator: "/"))
    }

    /// The methods registered for paths matching `path`, for `Allow` on a 405.
    func methods(matching path: String) -> [String] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return routes.filter { route in
            let template = route.path.split(separator: "/", omittingEmptySubsequences: true)
            guard template.count == parts.count else { return false }
            return zip(template, parts).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }.map(\.method)
    }
}

/// The route table while routes are being registered; read by the error middleware afterwards.
final class RouteRegistry: Sendable {
    private let state = Mutex(RouteTable())

    /// Records a route; returns the path in Hummingbird's syntax.
    func add(_ method: HTTPRequest.Method, _ path: String) -> RouterPath {
        state.withLock { $0.add(method, path) }
    }

    var table: RouteTable { state.withLock { $0 } }
}
