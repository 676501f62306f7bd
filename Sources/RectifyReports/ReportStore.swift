public import Foundation
public import RectifyPostgres

/// A report a job wrote back.
public struct StoredReport: Sendable, Hashable {
    public var id: Int64
    public var kind: String
    public var period: String
    /// The round it covers, or `nil` for all rounds.
    public var round: String?
    public var createdAt: Date
    /// The `figures` object as JSON text.
    public var figuresJSON: String

    /// The report's JSON form: `kind`, `period`, `figures` at the top (SPEC.md), plus `id`,
    /// `round` and `created_at`.
    public var documentJSON: String {
        let header: [String: Any] = [
            "id": id, "kind": kind, "period": period, "round": round ?? NSNull(),
            "created_at": ISO8601DateFormatter().string(from: createdAt),
        ]
        let headerJSON = String(decoding: try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]), as: UTF8.self)
        return String(headerJSON.dropLast()) + ",\"figures\":" + figuresJSON + "}"
    }
}

/// Writing and reading reports.
public struct ReportStore: Sendable {
    let pool: PostgresPool

    /// Creates a store on a pool.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Writes a report on the job's connection, replacing the one of the same kind, period and
    /// round, under the same id: running a month again never duplicates it, and its
    /// notifications (``Notifications``) are brought up to date, never sent twice.
    ///
    /// - Returns: the report's id, for its notifications.
    @discardableResult
    static func replace<Figures: Encodable>(
        kind: String, period: String, round: String?, figures: Figures, jobID: Int64,
        on connection: isolated PostgresConnection
    ) async throws -> Int64 {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = PostgresRawJSON(String(decoding: try encoder.encode(figures), as: UTF8.self))
        return try await store(kind: kind, period: period, round: round, json: json, figuresSQL: nil, jobID: jobID, on: connection)
    }

    /// Like ``replace(kind:period:round:figures:jobID:on:)`` with the figures assembled by
    /// `figuresSQL`, a query returning one `jsonb` value, so large figures never pass through Swift.
    static func replace(
        kind: String, period: String, round: String?, jobID: Int64, figuresSQL: String, on connection: isolated PostgresConnection
    ) async throws -> Int64 {
        try await store(kind: kind, period: period, round: round, json: nil, figuresSQL: figuresSQL, jobID: jobID, on: connection)
    }

    private static func store(
        kind: String, period: String, round: String?, json: PostgresRawJSON?, figuresSQL: String?, jobID: Int64,
        on connection: isolated PostgresConnection
    ) async throws -> Int64 {
        try await connection.query("""
            INSERT INTO rectify_reports (kind, period, round, figures, job_id)
            SELECT \(kind), \(period), \(round ?? ""), coalesce(\(json)::jsonb, (\(unescaped: figuresSQL ?? "NULL"))), \(jobID)
            ON CONFLICT (kind, period, round)
            DO UPDATE SET figures = EXCLUDED.figures, job_id = EXCLUDED.job_id, created_at = now()
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
    }

    /// Reports, newest period first, optionally of one period or kind.
    public func list(period: String? = nil, kind: String? = nil) async throws -> [StoredReport] {
        try await pool.query("""
            SELECT id, kind, period, round, created_at, figures::text FROM rectify_reports
            WHERE (\(period)::text IS NULL OR period = \(period)) AND (\(kind)::text IS NULL OR kind = \(kind))
            ORDER BY period DESC, kind, round, id
            """).map(Self.report)
    }

    /// One report.
    ///
    /// - Throws: ``ReportError`` when no report has that id.
    public func report(id: Int64) async throws -> StoredReport {
        let rows = try await pool.query("""
            SELECT id, kind, period, round, created_at, figures::text FROM rectify_reports WHERE id = \(id)
            """)
        guard let row = rows.first else { throw ReportError(message: "no report with id \(id)") }
        return try Self.report(row)
    }

    private static func report(_ row: PostgresRow) throws -> StoredReport {
        let (id, kind, period, round, createdAt, figures) = try row.decode((Int64, String, String, String, Date, String).self)
        return StoredReport(id: id, kind: kind, period: period, round: round.isEmpty ? nil : round, createdAt: createdAt, figuresJSON: figures)
    }
}

/// A report that cannot be found or read.
public struct ReportError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, in one line.
    public var message: String
    public var description: String { message }
}
