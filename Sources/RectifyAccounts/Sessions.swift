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
    ///
    /// The attempt is recorded as failed, under a lock on the login, before the password is
    /// checked, and marked succeeded after: parallel guesses each see the others, so no more
    /// than ``AccountPolicy/failuresPerAccount`` pass the throttle. Attempts the throttle
    /// refuses are recorded but not counted, so a lock opens when its window has passed.
    public func signIn(login: String, password: String, address: String) async throws -> SignInOutcome {
        let window = policy.windowSeconds
        let (perAccount, perAddress) = (policy.failuresPerAccount, policy.failuresPerAddress)
        let gate: Gate = try await pool.transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('rectify sign-in ' || lower(\(login))))")
            func refuse(_ person: Int64?, until: Date) async throws -> Gate {
                try await Self.record(login: login, person: person, address: address, succeeded: false, throttled: true, on: connection)
                return .throttled(until: until)
            }
            let (addressFailures, addressLast) = try await connection.query("""
                SELECT count(*), max(at) FROM rectify_sign_in_attempts
                WHERE address = \(address) AND NOT succeeded AND NOT throttled AND at > now() - make_interval(secs => \(window))
                """)[0].decode((Int, Date?).self)
            if addressFailures >= perAddress, let addressLast { return try await refuse(nil, until: addressLast.addingTimeInterval(window)) }
            let found = try await connection.query("""
                SELECT \(unescaped: Person.columns), p.password_hash,
                       (SELECT count(*) FROM rectify_sign_in_attempts a
                        WHERE a.person = p.id AND NOT a.succeeded AND NOT a.throttled AND a.at > now() - make_interval(secs => \(window))),
                       (SELECT max(a.at) FROM rectify_sign_in_attempts a
                        WHERE a.person = p.id AND NOT a.succeeded AND NOT a.throttled AND a.at > now() - make_interval(secs => \(window)))
                FROM rectify_people p JOIN rectify_ledger_offices o ON o.id = p.office
                WHERE lower(p.login) = lower(\(login)) AND p.disabled_at IS NULL
                """).first
            guard let found else {
                return .check(person: nil, hash: nil, attempt: try await Self.record(
                    login: login, person: nil, address: address, succeeded: false, throttled: false, on: connection))
            }
            let person = try Person(row: found)
            let (hash, failures, last) = (try found.decode(String?.self, at: 13), try found.decode(Int.self, at: 14), try found.decode(Date?.self, at: 15))
            if failures >= perAccount, let last { return try await refuse(person.id, until: last.addingTimeInterval(window)) }
            let attempt = try await Self.record(login: login, person: person.id, address: address, succeeded: false, throttled: false, on: connection)
            return .check(person: person, hash: hash, attempt: attempt)
        }
        guard case .check(let person, let hash, let attempt) = gate else {
            if case .throttled(let until) = gate { return .throttled(until: until) }
            return .refused
        }
        guard let person, let hash, try await Passwords.verify(password, hash: hash) else {
            // An unknown login, or a person without a password yet, costs what a wrong password does.
            if hash == nil { _ = try await Passwords.hash(password, cost: policy.passwordCost) }
            return .refused
        }
        let id = Secrets.new()
        let csrf = Secrets.new()
        try await pool.transaction { connection in
            try await connection.query("UPDATE rectify_sign_in_attempts SET succeeded = true WHERE id = \(attempt)")
            try await connection.query("""
                INSERT INTO rectify_sessions (id_hash, person, csrf) VALUES (decode(\(Secrets.digest(id)), 'hex'), \(person.id), \(csrf))
                """)
        }
        return .signedIn(cookie: id, session: Session(person: person, csrfToken: csrf))
    }

    /// What the throttle let through: a password to check (and the attempt recorded as failed
    /// until it matches), or a refusal.
    private enum Gate {
        case check(person: Person?, hash: String?, attempt: Int64)
        case throttled(until: Date)
    }

    /// The live session of a cookie's value, if any; finding it counts as activity. The
    /// session's last activity is written at most every ``touchSeconds``, so that reading pages
    /// does not cost a write (and its WAL flush) each.
    public func session(cookie: String) async throws -> Session? {
        guard Secrets.isHex64(cookie) else { return nil }
        let digest = Secrets.digest(cookie)
        let rows = try await pool.query("""
            WITH live AS (
                SELECT s.id_hash, s.person, s.csrf, s.last_seen_at
                FROM rectify_sessions s JOIN rectify_people p ON p.id = s.person
                WHERE s.id_hash = decode(\(digest), 'hex') AND p.disabled_at IS NULL AND s.ended_at IS NULL
                  AND s.last_seen_at > now() - make_interval(secs => \(policy.idleSeconds))
                  AND s.created_at > now() - make_interval(secs => \(policy.lifetimeSeconds))
            ), touched AS (
                UPDATE rectify_sessions s SET last_seen_at = now()
                FROM live WHERE s.id_hash = live.id_hash AND live.last_seen_at < now() - make_interval(secs => \(touchSeconds))
            )
            SELECT \(unescaped: Person.columns), live.csrf
            FROM live JOIN rectify_people p ON p.id = live.person JOIN rectify_ledger_offices o ON o.id = p.office
            """)
        guard let row = rows.first else { return nil }
        return Session(person: try Person(row: row), csrfToken: try row.decode(String.self, at: 13))
    }

    /// How stale a session's last activity may grow before a request writes it again: a minute,
    /// or a tenth of the idle time when that is shorter.
    var touchSeconds: Double { min(60, policy.idleSeconds / 10) }

    /// Ends the session of a cookie's value (signing out); nothing happens for an unknown one.
    public func signOut(cookie: String) async throws {
        try await pool.query("""
            UPDATE rectify_sessions SET ended_at = now() WHERE id_hash = decode(\(Secrets.digest(cookie)), 'hex') AND ended_at IS NULL
            """)
    }

    @discardableResult
    private static func record(
        login: String, person: Int64?, address: String, succeeded: Bool, throttled: Bool, on connection: PostgresConnection
    ) async throws -> Int64 {
        try await connection.query("""
            INSERT INTO rectify_sign_in_attempts (login, person, address, succeeded, throttled)
            VALUES (\(String(login.prefix(200))), \(person), \(address), \(succeeded), \(throttled))
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
    }
}
