public import Foundation
public import RectifyLedger
import RectifyPostgres

/// A person of an office who signs in to the desk.
public struct Person: Sendable, Hashable {
    public var id: Int64
    /// The person's name, as the task history shows it (张伟).
    public var name: String
    /// What they type to sign in.
    public var login: String
    /// The office they work for, whose scope and role they act in.
    public var office: Office
    public var createdAt: Date
    public var disabledAt: Date?
    /// False until the person has set a password through their link.
    public var hasPassword: Bool

    /// Who this person is in a task's history: their name and their office's.
    public var actor: String { "\(name), \(office.name)" }
}

/// Why an account operation was refused, in one line.
public struct AccountError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    public var description: String { message }

    public init(_ message: String) {
        self.message = message
    }
}

extension Person {
    /// The columns ``init(row:)`` reads, from `rectify_people p` joined to `rectify_ledger_offices o`:
    /// thirteen, so that a query's own columns start at index 13.
    static let columns = """
        p.id, p.name, p.login, p.created_at, p.disabled_at, p.password_hash IS NOT NULL,
        o.id, o.region, o.name, o.role, o.created_at, o.revoked_at, o.unit
        """

    init(row: PostgresRow) throws {
        let (id, name, login, createdAt, disabledAt, hasPassword) = try row.decode((Int64, String, String, Date, Date?, Bool).self)
        var office = Office(
            id: try row.decode(Int64.self, at: 6), region: try row.decode(String?.self, at: 7), name: try row.decode(String.self, at: 8),
            role: try row.decode(String.self, at: 9), createdAt: try row.decode(Date.self, at: 10), revokedAt: try row.decode(Date?.self, at: 11))
        office.unit = try row.decode(String?.self, at: 12)
        self.init(id: id, name: name, login: login, office: office, createdAt: createdAt, disabledAt: disabledAt, hasPassword: hasPassword)
    }
}
