public import Hummingbird
public import Logging
import NIOCore

/// The small HTTP server of `rectify work --metrics-port N`: the worker's own `/metrics` for
/// Prometheus and `/healthz` for Kubernetes probes. Errors answer the API's JSON error shape.
public enum WorkerProbeServer {
    /// The application, a service to run beside the worker.
    ///
    /// - Parameter metrics: the process's metrics in Prometheus text format.
    public static func application(
        host: String, port: Int, metrics: @escaping @Sendable () -> String, logger: Logger
    ) -> some ApplicationProtocol {
        let router = Router(context: APIRequestContext.self)
        let routes = RouteRegistry()
        router.add(middleware: ErrorMiddleware(routes: routes))
        router.get(routes.add(.get, "/healthz")) { _, _ in
            try APIRoutes.json(object: ["status": "ok"])
        }
        router.get(routes.add(.get, "/metrics")) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics())))
        }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "rectify-worker"), logger: logger)
    }
}
