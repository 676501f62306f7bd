import Hummingbird

extension APIRoutes {
    func registerOps(on router: Router<APIRequestContext>, routes: RouteRegistry) {}
}
