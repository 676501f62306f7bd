public import Foundation
import RectifyDomain
public import RectifyPostgres

/// An office that reports progress on the tasks of its region and the regions below it, or an
/// ops office that acts on the queue from the ops page.
public struct Office: Sendable, Hashable {
    /// The role of offices that run the ops page's actions; they have no region.
    public static let opsRole = "ops"

    public var id: Int64
    /// The region it answers for; `nil` for an ops office and a unit's own office.
    public var region: String?
    /// For a unit's own office (a provincial department's), the unit whose tasks it answers for.
    public var unit: String?
    public var name: String
    /// `county`, `city` or `province` (the level of its region), `unit` (a lead unit's own
    /// office) or `ops`.
    public var role: String
    public var createdAt: Date
    public var revokedAt: Date?

    /// The role of a lead unit's own office: its unit's tasks only, never acceptance.
    public static let unitRole = "unit"

    /// Creates an office as stored (read from `rectify_ledger_offices`).
    public init(id: Int64, region: String?, unit: String? = nil, name: String, role: String, createdAt: Date, revokedAt: Date?) {
        (self.id, self.region, self.unit, self.name, self.role, self.createdAt, self.revokedAt) = (id, region, unit, name, role, createdAt, revokedAt)
    }

    /// True for the provincial office, the only one that accepts, rejects and closes tasks.
    public var isProvince: Bool { role == "province" }
    /// True for an ops office.
    public var isOps: Bool { role == Self.opsRole }
    /// Who made a change in a task's history: the person and this office for a change made on
    /// the desk (`张伟 (灵寿县生态环境分局)`), or this office "via API" for one its systems
    /// made with its token.
    public func actor(person: String?) -> String {
        person.map { "\($0) (\(name))" } ?? "\(name) via API"
    }
}

/// Why an office operation was refused.
public struct OfficeError: Error, Sendable, CustomStringConvertible {
    /// One line naming what is wrong.
    public var message: String
    public var description: String { message }
}

/// Creating, listing and revoking offices and their bearer tokens.
public struct OfficeRegistry: Sendable {
    private let pool: PostgresPool

    /// Creates a registry on a pool.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Creates an office for `region` and returns it with its bearer token, which is not stored
    /// and cannot be shown again.
    ///
    /// - Parameter role: must match the region's level; `nil` takes the region's level. `ops`
    ///   creates an ops office, which takes no region.
    /// - Throws: ``OfficeError`` when the name is empty, the role is not one of county, city,
    ///   province or ops, an ops office is given a region, the region is missing or unknown,
    ///   or the role does not match it.
    public func add(region: String?, name: String, role: String?) async throws -> (office: Office, token: String) {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw OfficeError(message: "--name must not be empty") }
        if role == Office.unitRole { throw OfficeError(message: "a unit's own office is made with --unit UNIT, not --role unit") }
        if let role, role != Office.opsRole, RegionLevel(rawValue: role) == nil {
            throw OfficeError(message: "--role \(role) is not county, city, province or ops")
        }
        if role == Office.opsRole {
            guard region == nil else { throw OfficeError(message: "an ops office has no region; leave out --region") }
            let token = Self.newToken()
            let row = try await pool.query("""
                INSERT INTO rectify_offices (region, name, role, token_hash)
                VALUES (NULL, \(name), 'ops', decode(\(Secrets.digest(token)), 'hex'))
                RETURNING \(unescaped: Self.columns)
                """)[0]
            return (try Self.office(row), token)
        }
        guard let region else { throw OfficeError(message: "--region is required for a county, city or province office") }
        let rows = try await pool.query("SELECT level FROM rectify_regions WHERE code = \(region)")
        guard let level = try rows.first?.decode(String.self, at: 0) else {
            throw OfficeError(message: "region \(region) is not in the ledger; import it first (rectify import)")
        }
        if let role, role != level {
            throw OfficeError(message: "region \(region) is a \(level); --role \(role) does not match it")
        }
        let token = Self.newToken()
        let row = try await pool.query("""
            INSERT INTO rectify_offices (region, name, role, token_hash)
            VALUES (\(region), \(name), \(level), decode(\(Secrets.digest(token)), 'hex'))
            RETURNING \(unescaped: Self.columns)
            """)[0]
        return (try Self.office(row), token)
    }

    /// Every office, revoked ones included, by id.
    public func list() async throws -> [Office] {
        try await pool.query("SELECT \(unescaped: Self.columns) FROM rectify_offices ORDER BY id").map(Self.office)
    }

    /// Revokes an office's token; its later requests are refused.
    ///
    /// - Throws: ``OfficeError`` when no office has that id or it is already revoked.
    @discardableResult
    public func revoke(id: Int64) async throws -> Office {
        let rows = try await pool.query("""
            UPDATE rectify_offices SET revoked_at = now() WHERE id = \(id) AND revoked_at IS NULL
            RETURNING \(unescaped: Self.columns)
            """)
        guard let row = rows.first else {
            let exists = try await pool.query("SELECT 1 FROM rectify_offices WHERE id = \(id)").rowCount > 0
            throw OfficeError(message: exists ? "office \(id) is already revoked" : "no office with id \(id)")
        }
        return try Self.office(row)
    }

    /// Gives an active office a new bearer token; the old one stops working at once.
    ///
    /// - Returns: the new token, which is not stored and cannot be shown again.
    /// - Throws: ``OfficeError`` when no active office has that id.
    public func rotateToken(id: Int64) async throws -> String {
        let token = Self.newToken()
        let rows = try await pool.query("""
            UPDATE rectify_offices SET token_hash = decode(\(Secrets.digest(token)), 'hex') WHERE id = \(id) AND revoked_at IS NULL
            """)
        guard rows.affectedRows == 1 else { throw OfficeError(message: "no active office with id \(id)") }
        return token
    }

    /// Creates a lead unit's own office (a provincial department's): it answers for that unit's
    /// tasks only and never accepts. Returns it with its bearer token, shown once.
    ///
    /// - Throws: ``OfficeError`` when the name is empty or the unit is not in the ledger.
    public func add(unit: String, name: String) async throws -> (office: Office, token: String) {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw OfficeError(message: "--name must not be empty") }
        guard try await pool.query("SELECT 1 FROM rectify_units WHERE id = \(unit)").rowCount == 1 else {
            throw OfficeError(message: "unit \(unit) is not in the ledger; import it first (rectify import)")
        }
        let token = Self.newToken()
        let row = try await pool.query("""
            INSERT INTO rectify_offices (region, unit, name, role, token_hash)
            VALUES (NULL, \(unit), \(name), 'unit', decode(\(Secrets.digest(token)), 'hex'))
            RETURNING \(unescaped: Self.columns)
            """)[0]
        return (try Self.office(row), token)
    }

    /// The active office a bearer token belongs to, if any.
    public func office(forToken token: String) async throws -> Office? {
        let rows = try await pool.query("""
            SELECT \(unescaped: Self.columns) FROM rectify_offices
            WHERE token_hash = decode(\(Secrets.digest(token)), 'hex') AND revoked_at IS NULL
            """)
        return try rows.first.map(Self.office)
    }

    private static let columns = "id, region, name, role, created_at, revoked_at, unit"

    private static func office(_ row: PostgresRow) throws -> Office {
        let (id, region, name, role, createdAt, revokedAt, unit) = try row.decode((Int64, String?, String, String, Date, Date?, String?).self)
        return Office(id: id, region: region, unit: unit, name: name, role: role, createdAt: createdAt, revokedAt: revokedAt)
    }

    /// A new office token: 256 random bits, prefixed so that a leaked token is recognisable.
    private static func newToken() -> String {
        Secrets.new(prefix: "rct_")
    }
}
