import RectifyDomain
import RectifyPostgres

/// The notifications a report sends, written with it in the job's transaction.
///
/// A report's re-run keeps the notices it sends again: a notice is known by its report, kind,
/// addressee (unit or office) and level, and keeps its id, so an office's read marks
/// (``OfficeInbox``) still apply; notices the re-run no longer sends go, with their read marks.
enum Notifications {
    /// One notice per named unit, at its level, listing its tasks and reasons; from the notice's
    /// entries, which ``NameAndShame/write(period:round:stalledAfter:jobID:on:)`` keeps for the transaction.
    static func name(report: Int64, period: Period, on connection: isolated PostgresConnection) async throws {
        try await replace(report: report, on: connection, with: """
            SELECT 'named' AS kind, \("\(period)") AS period, unit, NULL::bigint AS office, max(level) AS level,
                   jsonb_agg(jsonb_build_object('task', task, 'reason', reason, 'days_overdue', days_overdue)
                             ORDER BY task COLLATE "C", reason) AS tasks
            FROM rectify_named
            GROUP BY unit
            """)
    }

    /// Reminders to offices: one per office with an unfinished task due next month in its scope
    /// (`rectify_office_tasks`), and one per office that was due to report
    /// (`rectify_due_to_report`) and sent no submission for the period, listing those tasks.
    static func remind(report: Int64, period: Period, round: String?, on connection: isolated PostgresConnection) async throws {
        try await replace(report: report, on: connection, with: """
            WITH unfinished AS (
                SELECT ot.office, t.id AS task, t.deadline
                FROM rectify_office_tasks ot JOIN rectify_ledger_tasks t ON t.id = ot.task
                WHERE t.status IN ('not_started', 'in_progress') AND (\(round)::text IS NULL OR t.round = \(round)::text)
            ), due_to_report AS (
                SELECT office, task FROM rectify_due_to_report WHERE \(round)::text IS NULL OR round = \(round)::text
            )
            SELECT 'due_next_month' AS kind, \("\(period)") AS period, NULL::text AS unit, office, 'reminder' AS level,
                   jsonb_agg(jsonb_build_object('task', task, 'deadline', deadline) ORDER BY deadline, task) AS tasks
            FROM unfinished WHERE deadline BETWEEN \("\(period.next.firstDay)")::date AND \("\(period.next.lastDay)")::date
            GROUP BY office
            UNION ALL
            SELECT 'not_reported', \("\(period)"), NULL, office, 'reminder',
                   jsonb_agg(jsonb_build_object('task', task) ORDER BY task)
            FROM due_to_report d
            WHERE NOT EXISTS (SELECT 1 FROM rectify_ledger_submissions s WHERE s.office = d.office AND s.period = \("\(period)"))
            GROUP BY office
            """)
    }

    /// Makes `report`'s notifications the rows of `fresh` (columns kind, period, unit, office,
    /// level, tasks): a notice sent before keeps its id and takes the new tasks, a new one is
    /// added, one no longer sent is deleted. One statement: its parts see the same snapshot, so
    /// the insert skips exactly the notices the update keeps.
    private static func replace(report: Int64, on connection: isolated PostgresConnection, with fresh: PostgresQuery) async throws {
        let sameNotice = """
            n.report_id = $\(fresh.binds.count + 1) AND n.kind = f.kind AND n.unit IS NOT DISTINCT FROM f.unit
            AND n.office IS NOT DISTINCT FROM f.office AND n.level IS NOT DISTINCT FROM f.level
            """
        var query = PostgresQuery(sql: """
            WITH fresh AS (\(fresh.sql)),
            kept AS (
                UPDATE rectify_notifications n SET tasks = f.tasks, period = f.period
                FROM fresh f WHERE \(sameNotice)
            ),
            gone AS (
                DELETE FROM rectify_notifications n
                WHERE n.report_id = $\(fresh.binds.count + 1) AND NOT EXISTS (SELECT FROM fresh f WHERE \(sameNotice))
            )
            INSERT INTO rectify_notifications (report_id, kind, period, unit, office, level, tasks)
            SELECT $\(fresh.binds.count + 1), f.kind, f.period, f.unit, f.office, f.level, f.tasks
            FROM fresh f
            WHERE NOT EXISTS (SELECT FROM rectify_notifications n WHERE \(sameNotice))
            """, binds: fresh.binds + [report])
        query.bindTypes = fresh.bindTypes + [Int64.postgresBindType]
        try await connection.query(query)
    }
}
