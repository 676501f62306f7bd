public import Foundation
public import RectifyDomain
public import RectifyPostgres

/// The offices' progress submissions as the ledger keeps them (`rectify_progress_submissions`,
/// read by others through `rectify_ledger_submissions`): how one is stored and found again.
public enum SubmissionRecords {
    /// The constraint that an office's second submission under an id it used trips.
    public static let idKey = "rectify_progress_submissions_pkey"

    /// The statement that stores a submission with the job that applies it (`submittedBy`: the
    /// person on the desk, `nil` for the office's systems), for the caller to
    /// send along that job's enqueue (the queue's `JobQueue.enqueue(_:along:on:)`): the job's id
    /// is the one the queue publishes as `rectify_enqueued_job_id()`.
    public static func insert(
        id: String, office: Int64, submittedBy: String?, task: String, period: Period, progress: Int, status: TaskStatus,
        summary: String, evidence: some PostgresBindable
    ) -> PostgresQuery {
        """
        INSERT INTO rectify_progress_submissions
            (submission_id, office, submitted_by, task, period, progress, status, summary, evidence, job_id)
        VALUES (\(id), \(office), \(submittedBy), \(task), \("\(period)"), \(progress), \(status.rawValue), \(summary), \(evidence),
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

/// Progress an office reported on a task, as the task's page lists it.
public struct SubmittedProgress: Sendable, Hashable {
    /// An evidence file a submission cites.
    public struct Evidence: Sendable, Hashable {
        public var name: String
        public var sha256: String
    }

    public var task: String
    public var period: Period
    public var progress: Int
    public var status: TaskStatus
    public var summary: String
    public var submittedAt: Date
    /// The person and office on the desk, or the office "via API".
    public var submittedBy: String
    /// The evidence files, in the order the submission cites them.
    public var evidence: [Evidence]
}

extension SubmissionRecords {
    /// Every submission for `task`, newest first.
    public static func history(task: String, pool: PostgresPool) async throws -> [SubmittedProgress] {
        try await submissions(of: [task], latestOnly: false, pool: pool)
    }

    /// The newest submission of each of `tasks` that has one, in one query.
    public static func latest(of tasks: [String], pool: PostgresPool) async throws -> [String: SubmittedProgress] {
        Dictionary(try await submissions(of: tasks, latestOnly: true, pool: pool).map { ($0.task, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The submissions of `tasks`, newest first within each task; only each task's newest
    /// with `latestOnly`.
    private static func submissions(of tasks: [String], latestOnly: Bool, pool: PostgresPool) async throws -> [SubmittedProgress] {
        guard !tasks.isEmpty else { return [] }
        return try await pool.query("""
            SELECT \(unescaped: latestOnly ? "DISTINCT ON (s.task)" : "") s.task, s.period, s.progress, s.status, s.summary, s.submitted_at,
                   coalesce(s.submitted_by, o.name || ' via API'),
                   coalesce((SELECT string_agg((e->>'sha256') || ' ' || (e->>'name'), E'\\n' ORDER BY ordinality)
                             FROM jsonb_array_elements(CASE WHEN jsonb_typeof(s.evidence) = 'array' THEN s.evidence ELSE '[]' END)
                                  WITH ORDINALITY AS x(e, ordinality)), '')
            FROM rectify_progress_submissions s JOIN rectify_offices o ON o.id = s.office
            WHERE s.task = ANY(\(tasks)::text[])
            ORDER BY s.task, s.period DESC, s.submitted_at DESC
            """).map { row in
            let (task, period, progress, status, summary, at, by, evidence) =
                try row.decode((String, String, Int, String, String, Date, String, String).self)
            guard let month = Period(period), let state = TaskStatus(rawValue: status) else {
                throw PostgresError(code: .decoding, message: "a submission for \(task) has period \(period) or status \(status) unreadable")
            }
            return SubmittedProgress(
                task: task, period: month, progress: progress, status: state, summary: summary, submittedAt: at, submittedBy: by,
                evidence: evidence.isEmpty ? [] : evidence.components(separatedBy: "\n").map { line in
                    SubmittedProgress.Evidence(name: String(line.dropFirst(65)), sha256: String(line.prefix(64)))
                })
        }
    }
}
