public import RectifyDomain
public import RectifyPostgres

/// The offices' progress submissions as the ledger keeps them (`rectify_progress_submissions`,
/// read by others through `rectify_ledger_submissions`): how one is stored and found again.
public enum SubmissionRecords {
    /// The constraint that a second submission under a taken id trips.
    public static let idKey = "rectify_progress_submissions_pkey"

    /// The statement that stores a submission with the job that applies it, for the caller to
    /// send along that job's enqueue (the queue's `JobQueue.enqueue(_:along:on:)`): the job's id
    /// is the one the queue publishes as `rectify_enqueued_job_id()`.
    public static func insert(
        id: String, office: Int64, task: String, period: Period, progress: Int, status: TaskStatus, summary: String,
        evidence: some PostgresBindable
    ) -> PostgresQuery {
        """
        INSERT INTO rectify_progress_submissions
            (submission_id, office, task, period, progress, status, summary, evidence, job_id)
        VALUES (\(id), \(office), \(task), \("\(period)"), \(progress), \(status.rawValue), \(summary), \(evidence),
                rectify_enqueued_job_id())
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
