import Foundation
import RectifyDomain
import RectifyLedger
public import RectifyPostgres

/// Creating, listing and disabling the people of offices, and setting passwords through
/// one-time links.
public struct PeopleRegistry: Sendable {
    private let pool: PostgresPool
    private let policy: AccountPolicy

    /// Creates a registry on a pool.
    public init(pool: PostgresPool, policy: AccountPolicy = AccountPolicy()) {
        self.pool = pool
        self.policy = policy
    }

    /// Creates a person of `office` and a one-time link's secret to set their password with
    /// (the secret is not stored and cannot be shown again).
    ///
    /// - Parameter login: what they type to sign in; `nil` takes their name.
    /// - Throws: ``AccountError`` when the name or login is empty or holds control characters,
    ///   the office is unknown, or another person has that login.
    public func add(office: Int64, name: String, login: String?) async throws -> (person: Person, linkSecret: String) {
        let name = name.trimmingCharacters(in: .whitespaces)
        let login = (login ?? name).trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw AccountError("--name must not be empty") }
        guard !login.isEmpty, login.count <= 64 else { throw AccountError("a login has 1 to 64 characters") }
        for text in [name, login] where ControlCharacters.contained(in: text) {
            throw AccountError("\"\(text.debugDescription)\" holds a control character")
        }
        return try await pool.transaction { connection in
            guard try await connection.query("SELECT 1 FROM rectify_ledger_offices WHERE id = \(office)").rowCount == 1 else {
                throw AccountError("no office with id \(office); rectify office list shows them")
            }
            guard try await connection.query("SELECT 1 FROM rectify_people WHERE lower(login) = lower(\(login))").rowCount == 0 else {
                throw AccountError("the login \(login) is taken; give another with --login")
            }
            let id = try await connection.query("""
                INSERT INTO rectify_people (office, name, login) VALUES (\(office), \(name), \(login)) RETURNING id
                """)[0].decode(Int64.self, at: 0)
            let secret = try await Self.newLink(person: id, lifetime: policy.linkLifetime, on: connection)
            return (try await Self.person(id: id, on: connection), secret)
        }
    }

    /// A new one-time link's secret for `person`, for a forgotten password; earlier links stop working.
    ///
    /// - Throws: ``AccountError`` when no active person has that id.
    public func newLink(person: Int64) async throws -> String {
        try await pool.transaction { connection in
            guard try await connection.query("SELECT 1 FROM rectify_people WHERE id = \(person) AND disabled_at IS NULL").rowCount == 1 else {
                throw AccountError("no active person with id \(person)")
            }
            return try await Self.newLink(person: person, lifetime: policy.linkLifetime, on: connection)
        }
    }

    /// Every person, disabled ones included, by office and name.
    public func list() async throws -> [Person] {
        try await pool.query("""
            SELECT \(unescaped: Person.columns) FROM rectify_people p JOIN rectify_ledger_offices o ON o.id = p.office
            ORDER BY o.id, p.name, p.id
            """).map(Person.init(row:))
    }

    /// Disables a person: their sessions end at once and they cannot sign in again.
    ///
    /// - Throws: ``AccountError`` when no person has that id or they are already disabled.
    @discardableResult
    public func disable(id: Int64) async throws -> Person {
        try await pool.transaction { connection in
            let updated = try await connection.query("""
                UPDATE rectify_people SET disabled_at = now() WHERE id = \(id) AND disabled_at IS NULL
                """).affectedRows
            guard updated == 1 else {
                let exists = try await connection.query("SELECT 1 FROM rectify_people WHERE id = \(id)").rowCount == 1
                throw AccountError(exists ? "person \(id) is already disabled" : "no person with id \(id)")
            }
            try await connection.query("UPDATE rectify_sessions SET ended_at = now() WHERE person = \(id) AND ended_at IS NULL")
            try await connection.query("UPDATE rectify_password_links SET used_at = now() WHERE person = \(id) AND used_at IS NULL")
            return try await Self.person(id: id, on: connection)
        }
    }

    /// The person a one-time link is for, while it works.
    public func person(forLink secret: String) async throws -> Person? {
        let rows = try await pool.query("""
            SELECT \(unescaped: Person.columns)
            FROM rectify_password_links l JOIN rectify_people p ON p.id = l.person JOIN rectify_ledger_offices o ON o.id = p.office
            WHERE l.secret_hash = decode(\(Secrets.digest(secret)), 'hex') AND l.used_at IS NULL AND l.expires_at > now()
              AND p.disabled_at IS NULL
            """)
        return try rows.first.map(Person.init(row:))
    }

    /// Sets the password of the link's person and uses the link up; their other sessions end.
    ///
    /// - Throws: ``AccountError`` when the link is unknown, used or expired, or the password
    ///   is one ``Passwords/problem(_:login:name:)`` refuses.
    @discardableResult
    public func setPassword(link secret: String, password: String) async throws -> Person {
        guard let person = try await person(forLink: secret) else {
            throw AccountError("this link is unknown, used or expired; ask your administrator for a new one")
        }
        if let problem = Passwords.problem(password, login: person.login, name: person.name) { throw AccountError(problem.message()) }
        let hash = try await Passwords.hash(password, cost: policy.passwordCost)
        return try await pool.transaction { connection in
            let used = try await connection.query("""
                UPDATE rectify_password_links SET used_at = now()
                WHERE secret_hash = decode(\(Secrets.digest(secret)), 'hex') AND used_at IS NULL AND expires_at > now()
                """).affectedRows
            guard used == 1 else { throw AccountError("this link was used meanwhile; ask your administrator for a new one") }
            try await connection.query("UPDATE rectify_people SET password_hash = \(hash) WHERE id = \(person.id)")
            try await connection.query("UPDATE rectify_sessions SET ended_at = now() WHERE person = \(person.id) AND ended_at IS NULL")
            return try await Self.person(id: person.id, on: connection)
        }
    }

    private static func newLink(person: Int64, lifetime: Duration, on connection: PostgresConnection) async throws -> String {
        let secret = Secrets.new()
        try await connection.query("UPDATE rectify_password_links SET used_at = now() WHERE person = \(person) AND used_at IS NULL")
        try await connection.query("""
            INSERT INTO rectify_password_links (secret_hash, person, expires_at)
            VALUES (decode(\(Secrets.digest(secret)), 'hex'), \(person), now() + make_interval(secs => \(lifetime.seconds)))
            """)
        return secret
    }

    static func person(id: Int64, on connection: PostgresConnection) async throws -> Person {
        try Person(row: try await connection.query("""
            SELECT \(unescaped: Person.columns) FROM rectify_people p JOIN rectify_ledger_offices o ON o.id = p.office WHERE p.id = \(id)
            """)[0])
    }
}
