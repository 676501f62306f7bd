import Foundation
import RectifyAPI
import RectifyPostgres
import RectifyTesting
import Testing
import Yams

@Suite("The OpenAPI document", .database)
struct OpenAPITests {
    @Test("its paths and methods are exactly the routes the server registers")
    func sameRoutes() async throws {
        let database = try await TestDatabase.fresh("openapi")
        try await database.withPool { pool in
            let routes = APIServer.router(pool: pool, settings: APIFixture.settings()).routes.routes
            let document = try #require(try Yams.load(yaml: OpenAPIDocument.yaml) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: Any])
            var documented: Set<String> = []
            for (path, item) in paths {
                for method in (item as? [String: Any] ?? [:]).keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                    documented.insert("\(method.uppercased()) \(path)")
                }
            }
            let registered = Set(routes.map { "\($0.method) \($0.path)" })
            #expect(registered.count == routes.count, "no route registered twice")
            #expect(registered.subtracting(documented).isEmpty, "registered but not documented: \(registered.subtracting(documented).sorted())")
            #expect(documented.subtracting(registered).isEmpty, "documented but not registered: \(documented.subtracting(registered).sorted())")
            #expect(registered.contains("POST /v1/progress") && registered.contains("GET /v1/tasks/{id}"))
        }
    }
}
