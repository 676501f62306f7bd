public import RectifyDomain
public import RectifyPostgres

/// The offices' progress submissions as the ledger keeps them (`rectify_progress_submissions`,
/// read by others through `rectify_ledger_submissions`): how one is stored and found again.
public enum SubmissionRecords {
    /// The constraint that an office's second submission under an id it used trips.
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

    /// The submission `office` stored under `id` earlier, if there is one.
    public static func stored(_ id: String, office: Int64, on connection: PostgresConnection) async throws -> EarlierSubmission? {
        let rows = try await connection.query("""
            SELECT job_id FROM rectify_progress_submissions WHERE office = \(office) AND submission_id = \(id)
            """)
        return try rows.first.map { EarlierSubmission(job: try $0.decode(Int64?.self, at: 0)) }
    }
}

/// A submission an office stored earlier under the id it sends again.
public struct EarlierSubmission: Sendable {
    /// The job that applies it: the answer a re-sent id gets again. `nil` for submissions
    /// stored before each one recorded its job.
    public var job: Int64?
}
