import RectifyDomain
import RectifyLedger
import RectifyPostgres
import RectifyProgress

/// Offices for every city and county, and three months of submitted progress, for the domain
/// benchmark (see ``BenchmarkSubmissions``). The demo goes through the API instead (``DemoSubmissions``).
enum BenchmarkProgress {
    static func seed(pool: PostgresPool, period: Period) async throws {
        let registry = OfficeRegistry(pool: pool)
        if try await registry.list().isEmpty {
            for region in try await LedgerDirectory(pool: pool).regions() where region.level != "province" {
                _ = try await registry.add(region: region.code, name: "\(region.name) Rectification Office", role: nil)
            }
        }
        try await BenchmarkSubmissions.seed([(2, period.previous.previous), (1, period.previous), (0, period)], pool: pool)
    }
}
