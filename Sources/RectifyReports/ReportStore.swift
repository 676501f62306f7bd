public import Foundation
public import RectifyDomain
public import RectifyPostgres

/// A report a job wrote back: a draft (拟稿) until the province issues it (签发).
public struct StoredReport: Sendable, Hashable {
    public var id: Int64
    public var kind: String
    public var period: String
    /// The round it covers, or `nil` for all rounds.
    public var round: String?
    /// When its figures were written: by its job, or for a reissue's copy, when it was copied.
    public var createdAt: Date
    /// The `figures` object as JSON text.
    public var figuresJSON: String
    /// How it was issued; `nil` while it is a draft.
    public var issue: Issue?
    /// The issued document this one replaced when it was issued (a reissue).
    public var replacedDocument: DocumentReference?
    /// The reissue that replaced this document, if any.
    public var replacement: DocumentReference?

    /// The id of ``replacedDocument``.
    public var replaces: Int64? { replacedDocument?.id }
    /// The id of ``replacement``.
    public var replacedBy: Int64? { replacement?.id }

    /// An issued document as another names it: its id, number and date.
    public struct DocumentReference: Sendable, Hashable {
        public var id: Int64
        public var number: String?
        public var issuedOn: Day
    }

    /// What issuing fixed: the day (成文日期), who signed it, and a notice's document number (文号).
    public struct Issue: Sendable, Hashable {
        /// The 成文日期.
        public var issuedOn: Day
        /// The issuing office (发文机关) as it stood when the document was issued.
        public var issuer: String
        /// The document number, for a notice; `nil` for other kinds and for reports issued
        /// before documents were numbered in order of issue.
        public var number: String?
        /// Who issued it (the person or the command line's user).
        public var issuedBy: String
        /// The words it was issued in (主送, 抄送, the configured sentences); `nil` for reports
        /// issued before documents kept them, which take the configuration's.
        public var wording: ReportConfiguration?

        /// What issuing fixed.
        public init(issuedOn: Day, issuer: String, number: String?, issuedBy: String, wording: ReportConfiguration? = nil) {
            (self.issuedOn, self.issuer, self.number, self.issuedBy, self.wording) = (issuedOn, issuer, number, issuedBy, wording)
        }
    }

    /// Whether it is still a draft.
    public var isDraft: Bool { issue == nil }

    /// A report as stored: a draft unless `issue` is given.
    public init(
        id: Int64, kind: String, period: String, round: String? = nil, createdAt: Date = Date(), figuresJSON: String,
        issue: Issue? = nil, replacedDocument: DocumentReference? = nil, replacement: DocumentReference? = nil
    ) {
        (self.id, self.kind, self.period, self.round, self.createdAt, self.figuresJSON) = (id, kind, period, round, createdAt, figuresJSON)
        (self.issue, self.replacedDocument, self.replacement) = (issue, replacedDocument, replacement)
    }

    /// The report's JSON form: `kind`, `period`, `figures` at the top (SPEC.md), plus `id`,
    /// `round`, `created_at`, and once issued `issued_on`, `number` (null for kinds without one)
    /// and `replaces`.
    public var documentJSON: String {
        let headerJSON = String(decoding: try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]), as: UTF8.self)
        return String(headerJSON.dropLast()) + ",\"figures\":" + figuresJSON + "}"
    }

    /// The fields that describe the report, as `list --json` prints them.
    public var header: [String: Any] {
        var fields: [String: Any] = [
            "id": id, "kind": kind, "period": period, "round": round ?? NSNull(),
            "created_at": ISO8601DateFormatter().string(from: createdAt), "status": isDraft ? "draft" : "issued",
        ]
        if let issue {
            fields["issued_on"] = "\(issue.issuedOn)"
            fields["number"] = issue.number ?? NSNull()
            fields["issuer"] = issue.issuer
        }
        if let replaces { fields["replaces"] = replaces }
        if let replacedBy { fields["replaced_by"] = replacedBy }
        return fields
    }
}

/// Writing and reading reports.
public struct ReportStore: Sendable {
    let pool: PostgresPool

    /// Creates a store on a pool.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Writes a report on the job's connection as the draft of its kind, period and round,
    /// replacing the draft under the same id: running a month again never duplicates it, and
    /// its notifications (``Notifications``) are brought up to date, never sent twice. An issued
    /// document is never touched: a re-run after the issue writes a new draft beside it.
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
            ON CONFLICT (kind, period, round) WHERE issued_on IS NULL
            DO UPDATE SET figures = EXCLUDED.figures, job_id = EXCLUDED.job_id, created_at = now()
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
    }

    /// Reports, newest period first, optionally of one period or kind; of one kind, period and
    /// round, the issued documents in order of issue, then the draft.
    public func list(period: String? = nil, kind: String? = nil) async throws -> [StoredReport] {
        try await pool.query(PostgresQuery(sql: Self.select + """
            WHERE ($1::text IS NULL OR r.period = $1::text) AND ($2::text IS NULL OR r.kind = $2::text)
            ORDER BY r.period DESC, r.kind, r.round, r.issued_at NULLS LAST, r.id
            """, binds: [period, kind])).map(Self.report)
    }

    /// The report of a kind, period and round that people read: the issued document in force,
    /// or the draft when none has been issued; `nil` when the job has not run.
    public func current(kind: String, period: String, round: String? = nil) async throws -> StoredReport? {
        try await pool.query(PostgresQuery(sql: Self.select + """
            WHERE r.kind = $1::text AND r.period = $2::text AND r.round = $3::text
              AND n.id IS NULL
            ORDER BY r.issued_on IS NULL, r.id DESC LIMIT 1
            """, binds: [kind, period, round ?? ""])).first.map(Self.report)
    }

    /// One report.
    ///
    /// - Throws: ``ReportError`` when no report has that id.
    public func report(id: Int64) async throws -> StoredReport {
        let rows = try await pool.query(PostgresQuery(sql: Self.select + "WHERE r.id = $1::bigint", binds: [id]))
        guard let row = rows.first else { throw ReportError(message: "no report with id \(id)") }
        return try Self.report(row)
    }

    /// The columns ``report(_:)`` reads, for a query on `rectify_reports r` to end with its conditions.
    static let select = """
        SELECT r.id, r.kind, r.period, r.round, r.created_at, r.figures::text, r.issued_on::text, r.issuer, r.number, r.issued_by,
               r.signing::text, p.id, p.number, p.issued_on::text, n.id, n.number, n.issued_on::text
        FROM rectify_reports r
        LEFT JOIN rectify_reports p ON p.id = r.replaces
        LEFT JOIN rectify_reports n ON n.replaces = r.id

        """

    static func report(_ row: PostgresRow) throws -> StoredReport {
        let (id, kind, period, round, createdAt, figures) = try row.decode((Int64, String, String, String, Date, String).self)
        let issuedOn = try row.decode(String?.self, at: 6), issuer = try row.decode(String?.self, at: 7)
        let number = try row.decode(String?.self, at: 8), issuedBy = try row.decode(String?.self, at: 9)
        let wording = try row.decode(String?.self, at: 10).flatMap { try? JSONDecoder().decode(ReportConfiguration.self, from: Data($0.utf8)) }
        func reference(at column: Int) throws -> StoredReport.DocumentReference? {
            guard let id = try row.decode(Int64?.self, at: column), let day = try row.decode(String?.self, at: column + 2).flatMap(Day.init)
            else { return nil }
            return StoredReport.DocumentReference(id: id, number: try row.decode(String?.self, at: column + 1), issuedOn: day)
        }
        let issue = issuedOn.flatMap(Day.init).map {
            StoredReport.Issue(issuedOn: $0, issuer: issuer ?? "", number: number, issuedBy: issuedBy ?? "", wording: wording)
        }
        return StoredReport(
            id: id, kind: kind, period: period, round: round.isEmpty ? nil : round, createdAt: createdAt, figuresJSON: figures,
            issue: issue, replacedDocument: try reference(at: 11), replacement: try reference(at: 14))
    }
}

/// A report that cannot be found or read.
public struct ReportError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, in one line.
    public var message: String
    public var description: String { message }
}
