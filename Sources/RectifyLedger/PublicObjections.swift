public import Foundation
public import RectifyDomain
public import RectifyPostgres

/// The tasks under public notice (公示) as the public sees them, and the objections the public
/// raises against their close-out, kept until the province decides on them
/// (`rectify_public_objections`).
public struct PublicObjections: Sendable {
    /// A task under public notice.
    public struct Notice: Sendable, Hashable {
        public var task: String
        public var title: String
        public var leadUnitName: String
        public var regionName: String
        /// What its unit reported last: the rectification it did.
        public var summary: String
        /// The history entry of the acceptance that opened the notice.
        public var acceptance: Int64
        public var acceptedAt: Date
        /// Objections from the public still waiting for the province's decision.
        public var pending: [Objection]
    }

    /// An objection from the public.
    public struct Objection: Sendable, Hashable {
        public var id: Int64
        public var task: String
        public var acceptance: Int64
        public var name: String
        public var contact: String
        public var reason: String
        public var receivedAt: Date
    }

    /// Why an objection was not taken.
    public struct Refusal: Error, Sendable, Equatable {
        public enum Reason: Sendable, Equatable { case notUnderNotice, tooMany }
        public var reason: Reason
    }

    private let pool: PostgresPool

    /// Creates the objections' store on a pool.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Every task under public notice (accepted), by title, with its pending objections.
    public func notices() async throws -> [Notice] {
        let rows = try await pool.query("""
            SELECT t.id, t.title, u.name, r.name,
                   coalesce((SELECT s.summary FROM rectify_progress_submissions s WHERE s.task = t.id
                             ORDER BY s.period DESC, s.submitted_at DESC LIMIT 1), ''),
                   h.id, h.changed_at
            FROM rectify_tasks t
            JOIN rectify_units u ON u.id = t.lead_unit
            JOIN rectify_regions r ON r.code = t.region
            JOIN LATERAL (SELECT id, changed_at FROM rectify_task_history
                          WHERE task = t.id AND new_status IS NOT NULL ORDER BY id DESC LIMIT 1) h ON true
            WHERE t.status = 'accepted'
            ORDER BY h.changed_at, t.id
            """)
        let pending = try await pendingObjections()
        return try rows.map { row in
            let (task, title, unit, region, summary, acceptance, at) = try row.decode((String, String, String, String, String, Int64, Date).self)
            return Notice(task: task, title: title, leadUnitName: unit, regionName: region, summary: summary, acceptance: acceptance,
                          acceptedAt: at, pending: pending.filter { $0.acceptance == acceptance })
        }
    }

    /// Records an objection from `address` against the close-out of `task`, while it is under
    /// public notice (accepted, and the notice of length `notice` from its acceptance, in
    /// `timeZone`, not yet ended at `now`); at most `perHour` from one address in an hour. The
    /// task is locked as its close-out job locks it, so an objection either is seen by that job
    /// or finds the task closed.
    ///
    /// - Throws: ``Refusal`` when the task is not under public notice or the address has raised
    ///   too many.
    @discardableResult
    public func raise(
        task: String, name: String, contact: String, reason: String, address: String,
        notice: PublicNoticeLength, timeZone: TimeZone, now: Date = Date(), perHour: Int = 5
    ) async throws -> Int64 {
        try await pool.transaction { connection in
            try await connection.query("SELECT 1 FROM rectify_tasks WHERE id = \(task) FOR NO KEY UPDATE")
            let recent = try await connection.query("""
                SELECT count(*) FROM rectify_public_objections WHERE address = \(address) AND received_at > now() - interval '1 hour'
                """)[0].decode(Int.self, at: 0)
            guard recent < perHour else { throw Refusal(reason: .tooMany) }
            // The acceptance that opened the notice is the task's latest change of status.
            let acceptance = try await connection.query("""
                SELECT h.id, h.changed_at FROM rectify_tasks t
                JOIN LATERAL (SELECT id, changed_at FROM rectify_task_history
                              WHERE task = t.id AND new_status IS NOT NULL ORDER BY id DESC LIMIT 1) h ON true
                WHERE t.id = \(task) AND t.status = 'accepted'
                """).first.map { (try $0.decode(Int64.self, at: 0), try $0.decode(Date.self, at: 1)) }
            guard let (acceptanceID, acceptedAt) = acceptance, notice.end(openedAt: acceptedAt, in: timeZone).at > now else {
                throw Refusal(reason: .notUnderNotice)
            }
            return try await connection.query("""
                INSERT INTO rectify_public_objections (task, acceptance, name, contact, reason, address)
                VALUES (\(task), \(acceptanceID), \(name), \(contact), \(reason), \(address))
                RETURNING id
                """)[0].decode(Int64.self, at: 0)
        }
    }

    /// The objection with `id`, locked for the caller's decision, if it is still pending.
    public static func lockPending(_ id: Int64, on connection: isolated PostgresConnection) async throws -> Objection? {
        try await connection.query("""
            SELECT \(unescaped: columns) FROM rectify_public_objections WHERE id = \(id) AND decision IS NULL FOR UPDATE
            """).first.map(objection)
    }

    /// Records the province's decision on a pending objection.
    public static func decide(
        _ id: Int64, upheld: Bool, reason: String, by: String, on connection: isolated PostgresConnection
    ) async throws {
        try await connection.query("""
            UPDATE rectify_public_objections
            SET decision = \(upheld ? "upheld" : "dismissed"), decision_reason = \(reason), decided_by = \(by), decided_at = now()
            WHERE id = \(id) AND decision IS NULL
            """)
    }

    /// How many objections raised in the notice of `acceptance` still wait for a decision.
    public static func pendingCount(acceptance: Int64, on connection: isolated PostgresConnection) async throws -> Int {
        try await connection.query("""
            SELECT count(*) FROM rectify_public_objections WHERE acceptance = \(acceptance) AND decision IS NULL
            """)[0].decode(Int.self, at: 0)
    }

    private func pendingObjections() async throws -> [Objection] {
        try await pool.query("""
            SELECT \(unescaped: Self.columns) FROM rectify_public_objections WHERE decision IS NULL ORDER BY received_at
            """).map(Self.objection)
    }

    private static let columns = "id, task, acceptance, name, contact, reason, received_at"

    private static func objection(_ row: PostgresRow) throws -> Objection {
        let (id, task, acceptance, name, contact, reason, at) = try row.decode((Int64, String, Int64, String, String, String, Date).self)
        return Objection(id: id, task: task, acceptance: acceptance, name: name, contact: contact, reason: reason, receivedAt: at)
    }
}
