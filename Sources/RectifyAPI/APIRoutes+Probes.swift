import Foundation
import Hummingbird
import NIOCore
import RectifyPostgres

extension APIRoutes {
    func registerProbes(on router: Router<APIRequestContext>, routes: RouteRegistry) {
        router.get(routes.add(.get, "/healthz")) { _, _ in
            try Self.json(object: ["status": "ok"])
        }
        router.get(routes.add(.get, "/readyz")) { _, _ in
            try await readiness()
        }
        router.get(routes.add(.get, "/metrics")) { _, _ in
            let gauges = try await ProgrammeGauges.exposition(pool: pool, lease: settings.workerLease, timeZone: settings.timeZone)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: gauges + settings.processMetrics())))
        }
        router.get(routes.add(.get, "/openapi.yaml")) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }
    }

    /// 200 when the database answers and every component's schema is at the version this
    /// build expects; 503 with the reason otherwise.
    private func readiness() async throws -> Response {
        let unavailable = { (reason: String) in
            try Self.json(object: ["status": "unavailable", "database": reason], status: .serviceUnavailable)
        }
        let versions: [String: Int]
        do {
            guard let applied = try await Migrator.appliedVersions(pool) else { return try unavailable("not migrated: run rectify migrate") }
            versions = applied
        } catch let error as PostgresError where error.isConnectionError || error.code == .poolClosed {
            return try unavailable("unreachable")
        }
        let behind = settings.expectedSchema.filter { (versions[$0.key] ?? 0) < $0.value }.keys.sorted()
        guard behind.isEmpty else { return try unavailable("schema behind (\(behind.joined(separator: ", "))): run rectify migrate") }
        return try Self.json(object: ["status": "ok", "database": "ok"])
    }
}
