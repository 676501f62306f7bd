import RectifyPostgres
public import RectifyWorker

/// Applying progress that an office submitted: the submission is stored when it arrives and a
/// job brings its task up to date, so the reports of a period wait for it (see ``ReportJobs``).
public enum ProgressJobs {
    /// The kind of the job that applies one submission to its task.
    public static let applyProgress = "apply_progress"

    /// Arguments: the submission, and its period (which the name-and-shame job waits on).
    public struct Args: Codable, Sendable {
        /// The submission's id (its `submission_id`).
        public var submission: String
        /// `YYYY-MM`.
        public var period: String

        /// Creates arguments.
        public init(submission: String, period: String) {
            self.submission = submission
            self.period = period
        }
    }

    /// Registers the kind. The task takes the submission's progress and status unless a later
    /// submission for it exists (a retried job never undoes newer news).
    public static func register(into registry: inout JobRegistry) {
        registry.register(applyProgress, args: Args.self) { args, connection, _ in
            try await connection.query("""
                UPDATE rectify_tasks AS t SET progress = s.progress, status = s.status
                FROM rectify_progress_submissions AS s
                WHERE s.submission_id = \(args.submission) AND t.id = s.task
                  AND NOT EXISTS (SELECT FROM rectify_progress_submissions AS n
                                  WHERE n.task = s.task AND (n.period, n.submitted_at) > (s.period, s.submitted_at))
                """)
        }
    }

    /// How many submissions of `period` or before are still waiting to be applied.
    static func pending(upTo period: String, on connection: isolated PostgresConnection) async throws -> Int {
        try await connection.query("""
            SELECT count(*) FROM rectify_jobs
            WHERE kind = \(applyProgress) AND args->>'period' <= \(period)
              AND state IN ('available', 'scheduled', 'running', 'retryable')
            """)[0].decode(Int.self, at: 0)
    }
}
