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

extension SubmissionJobs {
    /// What each progress job is about, in words for people: the office and the task's title
    /// for a submission, the task's title for a public notice. Other jobs are left out.
    public static func subjects(of jobs: [Int64], pool: PostgresPool) async throws -> [Int64: String] {
        guard !jobs.isEmpty else { return [:] }
        let rows = try await pool.query("""
            SELECT s.job_id, o.name || ' on “' || t.title || '” (' || s.period || ', ' || s.progress || '%, ' || s.status || ')'
            FROM rectify_progress_submissions s
            JOIN rectify_offices o ON o.id = s.office JOIN rectify_tasks t ON t.id = s.task
            WHERE s.job_id = ANY(\(jobs)::int8[])
            UNION ALL
            SELECT j.id, 'closing “' || t.title || '” after its public notice'
            FROM (SELECT id, args FROM rectify_jobs WHERE id = ANY(\(jobs)::int8[])
                  UNION ALL SELECT id, args FROM rectify_finished_jobs WHERE id = ANY(\(jobs)::int8[])) j
            JOIN rectify_tasks t ON t.id = j.args->>'task'
            """)
        var subjects: [Int64: String] = [:]
        for row in rows {
            let (id, text) = try row.decode((Int64, String).self)
            subjects[id] = text
        }
        return subjects
    }
}
