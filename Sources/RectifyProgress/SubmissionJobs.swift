public import RectifyPostgres

/// Which jobs an office may look at: those its own submissions caused. Ops offices see all.
public enum SubmissionJobs {
    /// Whether `office` may see job `id`.
    public static func visible(_ id: Int64, to office: Office, pool: PostgresPool) async throws -> Bool {
        if office.isOps { return true }
        return try await pool.query("""
            SELECT EXISTS (SELECT FROM rectify_progress_submissions WHERE job_id = \(id) AND office = \(office.id))
            """)[0].decode(Bool.self, at: 0)
    }
}
