public import RectifyDomain
import Foundation
import RectifyPostgres

extension ReportStore {
    /// Issues a report (签发): fixes its date (成文日期), its issuer and, for a name-and-shame
    /// notice, the next document number (文号) of the year of issue; only then do its
    /// notifications reach the inboxes.
    ///
    /// `id` is a draft, or with `reissue` an issued document: then the draft of the same kind,
    /// period and round is issued in its place (a copy of the document when there is no draft),
    /// with a new date and number, and names the document it replaces, whose notifications stop
    /// showing. The document keeps the words of `configuration` it was issued in (主送, 抄送,
    /// the configured sentences). A notice is refused when the notice in force for the period
    /// before it is not the one its levels escalated from (it was drafted before that one was
    /// issued or reissued): the month must be run again.
    ///
    /// - Parameters:
    ///   - day: the 成文日期: after the period's last day, and not before the last notice
    ///     numbered in its year (numbers follow the order of issue).
    ///   - by: who issues it, kept with the document.
    /// - Throws: ``ReportError`` naming what is wrong; nothing is written then.
    public func issue(
        id: Int64, on day: Day, by: String, reissue: Bool = false, configuration: ReportConfiguration
    ) async throws -> StoredReport {
        let issued = try await pool.transaction { connection in
            try await Self.issue(id: id, on: day, by: by, reissue: reissue, configuration: configuration, on: connection)
        }
        return try await report(id: issued)
    }

    private static func issue(
        id: Int64, on day: Day, by: String, reissue: Bool, configuration: ReportConfiguration, on connection: isolated PostgresConnection
    ) async throws -> Int64 {
        // One issue at a time: numbers follow the order of issue, and a kind's draft and
        // document in force do not change under it.
        try await connection.query("SELECT pg_advisory_xact_lock(hashtext('rectify_reports issue'))")
        guard let chosen = try await connection.query(PostgresQuery(sql: select + "WHERE r.id = $1::bigint", binds: [id])).first.map(report)
        else { throw ReportError(message: "no report with id \(id)") }
        if let by = chosen.replacedBy { throw ReportError(message: "report \(id) was replaced by report \(by); issue that one again instead") }
        guard let period = Period(chosen.period) else { throw ReportError(message: "report \(id) has no month as its period") }
        let inForce = try await connection.query(PostgresQuery(sql: select + """
            WHERE r.kind = $1::text AND r.period = $2::text AND r.round = $3::text AND r.issued_on IS NOT NULL
              AND n.id IS NULL
            """, binds: [chosen.kind, chosen.period, chosen.round ?? ""])).first.map(report)
        switch (inForce, reissue) {
        case (let document?, false):
            throw ReportError(message: "\(describe(document)) is already issued; "
                + "`rectify report issue \(id) --reissue` issues a new document in its place")
        case (nil, true):
            throw ReportError(message: "--reissue replaces an issued document, and report \(id) has none in force; issue it without --reissue")
        default: break
        }
        guard day > period.lastDay else {
            throw ReportError(message: "a document must be dated after its period, and \(period) ends on \(period.lastDay): \(day) is inside it")
        }
        let draft = chosen.isDraft ? chosen.id : try await draftToReissue(chosen, on: connection)
        var number: (year: Int, sequence: Int, text: String)?
        if chosen.kind == ReportJobs.nameAndShame {
            let (sequence, latest) = try await connection.query("""
                SELECT coalesce(max(number_seq), 0) + 1, max(issued_on)::text FROM rectify_reports WHERE number_year = \(day.year)
                """)[0].decode((Int, String?).self)
            if let latest, let last = Day(latest), day < last {
                throw ReportError(message: "notices are numbered in order of issue, and the last one of \(day.year) was issued on \(last); "
                    + "this one cannot be dated \(day)")
            }
            number = (day.year, sequence, configuration.documentNumber(year: day.year, sequence: sequence))
        }
        if chosen.kind == ReportJobs.nameAndShame { try await checkEscalation(of: draft, on: connection) }
        let wording = String(decoding: try JSONEncoder().encode(configuration), as: UTF8.self)
        try await connection.query(PostgresQuery(sql: """
            UPDATE rectify_reports
            SET issued_on = $2::date, issued_at = now(), issued_by = $3::text, issuer = $4::text,
                number_year = $5::int, number_seq = $6::int, number = $7::text, replaces = $8::bigint, signing = $9::jsonb
            WHERE id = $1::bigint
            """, binds: [draft, "\(day)", by, configuration.issuer, number?.year, number?.sequence, number?.text, inForce?.id, wording]))
        return draft
    }

    /// A notice's levels escalate from the notice in force for the period before it, as its job
    /// found it: refuses to issue a draft written before that notice was issued or reissued.
    private static func checkEscalation(of draft: Int64, on connection: isolated PostgresConnection) async throws {
        let (drafted, inForce, period) = try await connection.query("""
            SELECT (d.figures->>'previous_notice_id')::bigint,
                   (SELECT p.id FROM rectify_issued_reports p
                    WHERE p.kind = d.kind AND p.round = d.round AND p.period < d.period ORDER BY p.period DESC LIMIT 1),
                   d.period
            FROM rectify_reports d WHERE d.id = \(draft)
            """)[0].decode((Int64?, Int64?, String).self)
        guard drafted != inForce else { return }
        throw ReportError(message: "the notice for \(period) escalates its levels from "
            + (drafted.map { "report \($0)" } ?? "no earlier notice") + ", but the notice in force before it is "
            + (inForce.map { "report \($0)" } ?? "none") + "; run the month again (rectify enqueue name_and_shame --args "
            + "'{\"period\": \"\(period)\"}') and issue the new draft")
    }

    /// The draft that a reissue of `document` issues: the kind's current draft, or a copy of
    /// the document with its notifications when the month has not been run again.
    private static func draftToReissue(_ document: StoredReport, on connection: isolated PostgresConnection) async throws -> Int64 {
        let copy = try await connection.query("""
            WITH existing AS (
                SELECT id FROM rectify_reports
                WHERE kind = \(document.kind) AND period = \(document.period) AND round = \(document.round ?? "") AND issued_on IS NULL
            ), copied AS (
                INSERT INTO rectify_reports (kind, period, round, figures, job_id)
                SELECT kind, period, round, figures, job_id FROM rectify_reports
                WHERE id = \(document.id) AND NOT EXISTS (SELECT FROM existing)
                RETURNING id
            )
            SELECT id, false FROM existing UNION ALL SELECT id, true FROM copied
            """)[0].decode((Int64, Bool).self)
        if copy.1 {
            try await connection.query("""
                INSERT INTO rectify_notifications (report_id, kind, period, unit, office, level, tasks)
                SELECT \(copy.0), kind, period, unit, office, level, tasks FROM rectify_notifications WHERE report_id = \(document.id)
                """)
        }
        return copy.0
    }

    /// "report 12 (冀督改办通〔2026〕3号, issued 2026-12-03)".
    private static func describe(_ report: StoredReport) -> String {
        guard let issue = report.issue else { return "report \(report.id)" }
        return "report \(report.id) (" + (issue.number.map { "\($0), " } ?? "") + "issued \(issue.issuedOn))"
    }
}
