public import Foundation
public import RectifyLedger
public import RectifyPostgres
import RectifyProgress

/// An office's inbox: the notifications the issued reports sent to it, and their named notices
/// about units in its region or below, newest first, with which of them the office has read. A
/// draft's notifications reach no inbox until the province issues it; a reissued document's
/// replace those of the one it replaces. A draft's re-run keeps a notice it sends again, and so
/// its read mark (``Notifications``).
public struct OfficeInbox: Sendable {
    /// One notification as the API shows it.
    public struct Notification: Sendable, Hashable {
        public var id: Int64
        /// `named`, `due_next_month` or `not_reported`.
        public var kind: String
        public var period: String
        /// `reminder`, `warning` or `public_notice`.
        public var level: String?
        /// The unit named, for `named` notices.
        public var unit: String?
        public var unitName: String?
        /// The tasks concerned, as the report wrote them (a JSON array).
        public var tasksJSON: String
        /// When the report that sent it was issued.
        public var createdAt: Date
        public var read: Bool
    }

    private let pool: PostgresPool

    /// Creates an inbox reader on a pool.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// The office's notifications, newest first; only unread ones when `unreadOnly`.
    ///
    /// - Parameters:
    ///   - limit: 1–200.
    ///   - before: the last id of the previous page.
    public func list(for office: Office, unreadOnly: Bool, limit: Int, before: Int64?) async throws -> [Notification] {
        let (region, unit) = (office.region, office.unit)
        let rows = try await pool.query("""
            SELECT n.id, n.kind, n.period, n.level, n.unit, u.name, n.tasks::text, r.issued_at, rd.office IS NOT NULL
            FROM rectify_notifications n
            JOIN rectify_issued_reports r ON r.id = n.report_id
            LEFT JOIN rectify_ledger_units u ON u.id = n.unit
            LEFT JOIN rectify_notification_reads rd ON rd.office = \(office.id) AND rd.notification = n.id
            WHERE (n.office = \(office.id) OR n.unit IN (SELECT unit FROM rectify_unit_scope WHERE region = \(region)::text)
                   OR n.unit = \(unit)::text)
              AND (NOT \(unreadOnly) OR rd.office IS NULL)
              AND (\(before)::int8 IS NULL OR n.id < \(before)::int8)
            ORDER BY n.id DESC
            LIMIT \(min(max(limit, 1), 200))
            """)
        return try rows.map { row in
            Notification(
                id: try row.decode(at: 0), kind: try row.decode(at: 1), period: try row.decode(at: 2), level: try row.decode(at: 3),
                unit: try row.decode(at: 4), unitName: try row.decode(at: 5), tasksJSON: try row.decode(at: 6),
                createdAt: try row.decode(at: 7), read: try row.decode(at: 8))
        }
    }

    /// An issued notice that named a task's unit for it.
    public struct Naming: Sendable, Hashable {
        public var period: String
        /// `reminder`, `warning` or `public_notice`.
        public var level: String?
        /// The notice's 文号, when it has one.
        public var number: String?
        public var issuedOn: String?
    }

    /// The issued notices that named `task`, newest first.
    public func namings(of task: String) async throws -> [Naming] {
        try await pool.query("""
            SELECT n.period, n.level, r.number, r.issued_on::text
            FROM rectify_notifications n JOIN rectify_issued_reports r ON r.id = n.report_id
            WHERE n.kind = 'named' AND n.tasks @> jsonb_build_array(jsonb_build_object('task', \(task)::text))
            ORDER BY n.period DESC, n.id DESC
            """).map { row in
            let (period, level, number, issuedOn) = try row.decode((String, String?, String?, String?).self)
            return Naming(period: period, level: level, number: number, issuedOn: issuedOn)
        }
    }

    /// How many notifications of the office's inbox it has not read.
    public func unreadCount(for office: Office) async throws -> Int {
        let (region, unit) = (office.region, office.unit)
        return try await pool.query("""
            SELECT count(*)
            FROM rectify_notifications n
            JOIN rectify_issued_reports r ON r.id = n.report_id
            WHERE (n.office = \(office.id) OR n.unit IN (SELECT unit FROM rectify_unit_scope WHERE region = \(region)::text)
                   OR n.unit = \(unit)::text)
              AND NOT EXISTS (SELECT FROM rectify_notification_reads rd WHERE rd.office = \(office.id) AND rd.notification = n.id)
            """)[0].decode(Int.self, at: 0)
    }

    /// Marks a notification of the office's inbox read; marking it again changes nothing. A
    /// re-run of its report keeps the notice it sends again, and so the mark; one it no longer
    /// sends goes, with its marks.
    ///
    /// - Throws: ``ProgressError`` `not_found` when the notification is not in the office's inbox.
    public func markRead(_ id: Int64, for office: Office) async throws {
        let (region, unit) = (office.region, office.unit)
        let rows: PostgresResult
        do {
            rows = try await pool.query("""
            WITH mine AS (
                SELECT n.id FROM rectify_notifications n JOIN rectify_issued_reports r ON r.id = n.report_id
                WHERE n.id = \(id)
                  AND (n.office = \(office.id) OR n.unit IN (SELECT unit FROM rectify_unit_scope WHERE region = \(region)::text)
                       OR n.unit = \(unit)::text)
            ), marked AS (
                INSERT INTO rectify_notification_reads (notification, office)
                SELECT id, \(office.id) FROM mine
                ON CONFLICT DO NOTHING
            )
            SELECT count(*) FROM mine
            """)
        } catch let error as PostgresError where error.sqlState == .foreignKeyViolation {
            // A report's re-run took the notice away while it was being marked.
            throw ProgressError(.notFound, "no notification \(id) in this inbox")
        }
        guard try rows[0].decode(Int.self, at: 0) == 1 else {
            throw ProgressError(.notFound, "no notification \(id) in this inbox")
        }
    }
}
