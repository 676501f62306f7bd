import RectifyPostgres

/// One numeric figure at the top of a report.
public struct ReportFigure: Sendable, Hashable {
    public var kind: String
    public var period: String
    /// The figure's key (`tasks_overdue`, `units_named`, …).
    public var name: String
    public var value: Double
}

extension ReportStore {
    /// The numeric top-level figures of the latest all-rounds report of each kind (its newest
    /// version, draft or issued), by kind and figure name.
    public func latestFigures() async throws -> [ReportFigure] {
        try await pool.query("""
            WITH latest AS (
                SELECT DISTINCT ON (kind) id, kind, period FROM rectify_reports WHERE round = '' ORDER BY kind, period DESC, id DESC
            )
            SELECT l.kind, l.period, f.key, f.value::text::float8
            FROM latest l JOIN rectify_reports r ON r.id = l.id, jsonb_each(r.figures) f
            WHERE jsonb_typeof(f.value) = 'number'
            ORDER BY 1, 3
            """).map { row in
            let (kind, period, name, value) = try row.decode((String, String, String, Double).self)
            return ReportFigure(kind: kind, period: period, name: name, value: value)
        }
    }
}

extension ReportStore {
    /// How many notifications the issued reports of `period` sent.
    public func notificationCount(period: String) async throws -> Int {
        try await pool.query("""
            SELECT count(*) FROM rectify_notifications n JOIN rectify_issued_reports r ON r.id = n.report_id WHERE n.period = \(period)
            """)[0].decode(Int.self, at: 0)
    }
}
