import RectifyPostgres
import Synchronization

/// The region codes at and below each region (a province, its cities and their counties),
/// remembered for a minute: regions change only when a ledger is imported, and every task
/// list checks the region it asks for against them.
final class RegionScopes: Sendable {
    private let pool: PostgresPool
    private let lifetime: Duration
    private let cache = Mutex<[String: (codes: [String], until: ContinuousClock.Instant)]>([:])

    init(pool: PostgresPool, lifetime: Duration = .seconds(60)) {
        self.pool = pool
        self.lifetime = lifetime
    }

    /// `region` and every region below it; empty when the region is unknown.
    func codes(under region: String) async throws -> [String] {
        let now = ContinuousClock.now
        if let cached = cache.withLock({ $0[region] }), cached.until > now { return cached.codes }
        let codes = try await pool.query("""
            SELECT code FROM rectify_regions
            WHERE code = \(region) OR parent = \(region) OR parent IN (SELECT code FROM rectify_regions WHERE parent = \(region))
            ORDER BY code
            """).map { try $0.decode(String.self, at: 0) }
        cache.withLock { cache in
            if cache.count >= 10_000 { cache.removeAll(keepingCapacity: true) }
            cache[region] = (codes, now + lifetime)
        }
        return codes
    }
}
