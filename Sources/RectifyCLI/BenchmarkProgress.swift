import RectifyDomain
import RectifyPostgres
import RectifyProgress

/// Three months of submitted progress for the domain benchmark, written directly: the benchmark
/// measures the report jobs at national scale (hundreds of thousands of submissions), not the
/// API, so the submissions are stored as applied already, with no apply jobs for the reports to
/// wait on. The demo goes through the API instead (``DemoSubmissions``).
enum BenchmarkProgress {
    static func seed(pool: PostgresPool, period: Period) async throws {
        let registry = OfficeRegistry(pool: pool)
        if try await registry.list().isEmpty {
            for region in try await pool.query("SELECT code, name FROM rectify_regions WHERE level <> 'province' ORDER BY code") {
                let (code, name) = try region.decode((String, String).self)
                _ = try await registry.add(region: code, name: "\(name) Rectification Office", role: nil)
            }
        }
        for (offset, month) in [(2, period.previous.previous), (1, period.previous), (0, period)] {
            try await pool.query("""
                INSERT INTO rectify_progress_submissions (submission_id, office, task, period, progress, status, summary)
                SELECT 'bench-' || \("\(month)") || '-' || t.id, o.id, t.id, \("\(month)"),
                       CASE WHEN abs(hashtext(t.id)) % 5 = 0 THEN t.progress ELSE greatest(0, t.progress - 5 * \(offset)) END,
                       t.status, 'Monthly progress report'
                FROM rectify_tasks t JOIN rectify_offices o ON o.region = t.region
                WHERE t.status NOT IN ('accepted', 'closed') AND o.id % 7 <> 0
                ON CONFLICT (submission_id) DO NOTHING
                """)
        }
    }
}
