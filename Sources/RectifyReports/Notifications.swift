import RectifyDomain
import RectifyPostgres

/// The notifications a report sends, written with it in the job's transaction.
enum Notifications {
    /// One notice per named unit, at its level, listing its tasks and reasons; from the notice's
    /// entries, which ``NameAndShame/write(period:round:stalledAfter:jobID:on:)`` keeps for the transaction.
    static func name(report: Int64, period: Period, on connection: isolated PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO rectify_notifications (report_id, kind, period, unit, level, tasks)
            SELECT \(report), 'named', \("\(period)"), unit, max(level),
                   jsonb_agg(jsonb_build_object('task', task, 'reason', reason, 'days_overdue', days_overdue)
                             ORDER BY task COLLATE "C", reason)
            FROM rectify_named
            GROUP BY unit
            """)
    }

    /// Reminders to offices: one per office with an open task due next month in its region or
    /// below, and one per office that was due to report (an open task whose lead unit sits in
    /// its own region) and sent no submission for the period, listing those tasks.
    static func remind(report: Int64, period: Period, round: String?, on connection: isolated PostgresConnection) async throws {
        try await connection.query("""
            WITH open_owned AS (
                SELECT ot.office, t.id AS task, t.deadline
                FROM rectify_office_tasks ot JOIN rectify_tasks t ON t.id = ot.task
                WHERE t.status NOT IN ('accepted', 'closed') AND (\(round)::text IS NULL OR t.round = \(round)::text)
            ), due_to_report AS (
                SELECT o.id AS office, t.id AS task
                FROM rectify_offices o
                JOIN rectify_units u ON u.region = o.region
                JOIN rectify_tasks t ON t.lead_unit = u.id
                WHERE o.revoked_at IS NULL AND t.status NOT IN ('accepted', 'closed')
                  AND (\(round)::text IS NULL OR t.round = \(round)::text)
            )
            INSERT INTO rectify_notifications (report_id, kind, period, office, level, tasks)
            SELECT \(report), 'due_next_month', \("\(period)"), office, 'reminder',
                   jsonb_agg(jsonb_build_object('task', task, 'deadline', deadline) ORDER BY deadline, task)
            FROM open_owned WHERE deadline BETWEEN \("\(period.next.firstDay)")::date AND \("\(period.next.lastDay)")::date
            GROUP BY office
            UNION ALL
            SELECT \(report), 'not_reported', \("\(period)"), office, 'reminder',
                   jsonb_agg(jsonb_build_object('task', task) ORDER BY task)
            FROM due_to_report d
            WHERE NOT EXISTS (SELECT 1 FROM rectify_progress_submissions s WHERE s.office = d.office AND s.period = \("\(period)"))
            GROUP BY office
            """)
    }
}
