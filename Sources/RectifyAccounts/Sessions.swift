public import Foundation
import RectifyLedger
public import RectifyPostgres

/// A signed-in person's session on the desk.
public struct Session: Sendable {
    /// The person, with their office.
    public var person: Person
    /// The token every form of this session carries; a POST without it is refused.
    public var csrfToken: String
}

/// The outcome of a sign-in.
public enum SignInOutcome: Sendable {
    /// Signed in: the cookie's value (the session's id, not stored) and the session.
    case signedIn(cookie: String, session: Session)
    /// Wrong login or password; nothing says which.
    case refused
    /// Too many failures for this account or from this address: try again at `until`.
    case throttled(until: Date)
}

/// Signing in and out, and finding the session of a cookie. Sessions live in PostgreSQL; only
/// the SHA-256 of their 256-bit id is stored. A session ends on sign-out, after
/// ``AccountPolicy/sessionIdle`` without a request, after ``AccountPolicy/sessionLifetime``,
/// and when its person is disabled or sets a new password. Every attempt to sign in is
/// recorded; failures are throttled per account and per address.
public struct SessionDesk: Sendable {
    private let pool: PostgresPool
    private let policy: AccountPolicy

    /// Creates the desk's sessions on a pool.
    public init(pool: PostgresPool, policy: AccountPolicy = AccountPolicy()) {
        self.pool = pool
        self.policy = policy
    }

    /// Checks `password` for `login` coming from `address`, and starts a session if it matches.
    public func signIn(login: String, password: String, address: String) async throws -> SignInOutcome {
        let found = try await pool.query("""
            SELECT \(unescaped: Person.columns), p.password_hash,
                   (SELECT count(*) FROM rectify_sign_in_attempts a
                    WHERE a.person = p.id AND NOT a.succeeded AND a.at > now() - make_interval(secs => \(policy.windowSeconds))),
                   (SELECT max(a.at) FROM rectify_sign_in_attempts a
                    WHERE a.person = p.id AND NOT a.succeeded AND a.at > now() - make_interval(secs => \(policy.windowSeconds)))
            FROM rectify_people p JOIN rectify_ledger_offices o ON o.id = p.office
            WHERE lower(p.login) = lower(\(login)) AND p.disabled_at IS NULL
            """).first
        let byAddress = try await pool.query("""
            SELECT count(*), max(at) FROM rectify_sign_in_attempts
            WHERE address = \(address) AND NOT succeeded AND at > now() - make_interval(secs => \(policy.windowSeconds))
            """)[0]
        let (addressFailures, addressLast) = try byAddress.decode((Int, Date?).self)
        if addressFailures >= policy.failuresPerAddress, let addressLast {
            try await record(login: login, person: nil, address: address, succeeded: false)
            return .throttled(until: addressLast.addingTimeInterval(policy.windowSeconds))
        }
        guard let found else {
            _ = try await Passwords.verify(password, hash: Passwords.decoy)
            try await record(login: login, person: nil, address: address, succeeded: false)
            return .refused
        }
        let person = try Person(row: found)
        let (hash, failures, lastFailure) = (try found.decode(String?.self, at: 13), try found.decode(Int.self, at: 14), try found.decode(Date?.self, at: 15))
        if failures >= policy.failuresPerAccount, let lastFailure {
            try await record(login: login, person: person.id, address: address, succeeded: false)
            return .throttled(until: lastFailure.addingTimeInterval(policy.windowSeconds))
        }
        guard let hash, try await Passwords.verify(password, hash: hash) else {
            if hash == nil { _ = try await Passwords.verify(password, hash: Passwords.decoy) }
            try await record(login: login, person: person.id, address: address, succeeded: false)
            return .refused
        }
        try await record(login: login, person: person.id, address: address, succeeded: true)
        let id = Secrets.new()
        let csrf = Secrets.new()
        try await pool.query("""
            INSERT INTO rectify_sessions (id_hash, person, csrf) VALUES (decode(\(Secrets.digest(id)), 'hex'), \(person.id), \(csrf))
            """)
        return .signedIn(cookie: id, session: Session(person: person, csrfToken: csrf))
    }

    /// The live session of a cookie's value, if any; finding it counts as activity.
    public func session(cookie: String) async throws -> Session? {
        guard cookie.utf8.count == 64, cookie.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        let rows = try await pool.query("""
            WITH live AS (
                UPDATE rectify_sessions s SET last_seen_at = now()
                FROM rectify_people p
                WHERE s.id_hash = decode(\(Secrets.digest(cookie)), 'hex') AND p.id = s.person AND p.disabled_at IS NULL
                  AND s.ended_at IS NULL
                  AND s.last_seen_at > now() - make_interval(secs => \(policy.idleSeconds))
                  AND s.created_at > now() - make_interval(secs => \(policy.lifetimeSeconds))
                RETURNING s.person, s.csrf
            )
            SELECT \(unescaped: Person.columns), live.csrf
            FROM live JOIN rectify_people p ON p.id = live.person JOIN rectify_ledger_offices o ON o.id = p.office
            """)
        guard let row = rows.first else { return nil }
        return Session(person: try Person(row: row), csrfToken: try row.decode(String.self, at: 13))
    }

    /// Ends the session of a cookie's value (signing out); nothing happens for an unknown one.
    public func signOut(cookie: String) async throws {
        try await pool.query("""
            UPDATE rectify_sessions SET ended_at = now() WHERE id_hash = decode(\(Secrets.digest(cookie)), 'hex') AND ended_at IS NULL
            """)
    }

    private func record(login: String, person: Int64?, address: String, succeeded: Bool) async throws {
        try await pool.query("""
            INSERT INTO rectify_sign_in_attempts (login, person, address, succeeded)
            VALUES (\(String(login.prefix(200))), \(person), \(address), \(succeeded))
            """)
    }
}
