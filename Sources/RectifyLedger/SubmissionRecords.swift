public import RectifyDomain
public import RectifyPostgres

/// The offices' progress submissions as the ledger keeps them (`rectify_progress_submissions`,
/// read by others through `rectify_ledger_submissions`): how one is stored and found again.
public enum SubmissionRecords {
    /// The constraint that a second submission under a taken id trips.
    public static let idKey = "rectify_progress_submissions_pkey"

    /// The statement that stores a submission, for the caller to send in its own round trip:
    /// `jobID` is the SQL for the id of the job that applies it (the queue's
    /// `JobQueue.enqueuedJobID`, when the submission goes along the job's enqueue).
    public static func insert(
        id: String, office: Int64, task: String, period: Period, progress: Int, status: TaskStatus, summary: String,
        evidence: some PostgresBindable, jobID: String
    ) -> PostgresQuery {
        """
        INSERT INTO rectify_progress_submissions
            (submission_id, office, task, period, progress, status, summary, evidence, job_id)
        VALUES (\(id), \(office), \(task), \("\(period)"), \(progress), \(status.rawValue), \(summary), \(evidence),
                \(unescaped: jobID))
        """
    }

    /// The office and the apply job of the submission stored under `id`, if there is one.
    public static func stored(_ id: String, on connection: PostgresConnection) async throws -> (office: Int64, job: Int64?)? {
        let rows = try await connection.query("SELECT office, job_id FROM rectify_progress_submissions WHERE submission_id = \(id)")
        guard let row = rows.first else { return nil }
        let (office, job) = try row.decode((Int64, Int64?).self)
        return (office, job)
    }
}
