public import RectifyDomain
public import RectifyPostgres

/// Submitted progress written in bulk for the domain benchmark (`rectify bench domain`): it
/// measures the report jobs at national scale (hundreds of thousands of submissions), not the
/// API, so the submissions are stored as applied already, with no apply jobs for the reports to
/// wait on. The demo goes through the HTTP API instead.
public enum BenchmarkSubmissions {
    /// One submission per open task and month of `periods`, from the office of the task's region
    /// (every seventh office stays silent); a month `offset` back reports 5 × offset points less
    /// for four tasks in five. Writing the same months again adds nothing.
    ///
    /// - Parameter periods: the months, each with how many months before the last it is.
    public static func seed(_ periods: [(offset: Int, period: Period)], pool: PostgresPool) async throws {
        for (offset, month) in periods {
            try await pool.query("""
                INSERT INTO rectify_progress_submissions (submission_id, office, task, period, progress, status, summary)
                SELECT 'bench-' || \("\(month)") || '-' || t.id, o.id, t.id, \("\(month)"),
                       CASE WHEN abs(hashtext(t.id)) % 5 = 0 THEN t.progress ELSE greatest(0, t.progress - 5 * \(offset)) END,
                       t.status, 'Monthly progress report'
                FROM rectify_tasks t JOIN rectify_offices o ON o.region = t.region
                WHERE t.status NOT IN ('accepted', 'closed') AND o.id % 7 <> 0
                ON CONFLICT (office, submission_id) DO NOTHING
                """)
        }
    }
}
