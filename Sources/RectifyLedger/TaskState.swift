package import RectifyDomain
package import RectifyPostgres

/// Where a task stands, as the rules about changing it need to know: its status and progress,
/// the progress the province last accepted, whether an office's region covers it, its deadline
/// and the month of its round's feedback.
package struct TaskState: Sendable {
    package var id: String
    package var status: TaskStatus
    package var progress: Int
    /// The progress the province last accepted (0 when it never did); a task imported as
    /// accepted or closed counts its progress as accepted.
    package var acceptedProgress: Int
    /// Whether the office has the task in scope: its region has the task's lead unit in scope
    /// (`rectify_unit_scope`), or it is that unit's own office.
    package var inScope: Bool
    package var deadline: Day
    /// The month of its round's feedback (反馈): no progress is reported for an earlier month.
    package var feedbackMonth: Period

    /// The SQL that reads a task's state; `$1` is the task id, `$2` the office's region and
    /// `$unitBind` the unit of a unit's own office (either may be NULL).
    package static func select(lock: Bool, unitBind: Int = 3) -> String {
        """
        SELECT t.id, t.status, t.progress,
               CASE WHEN t.status IN ('accepted', 'closed') THEN t.progress
                    ELSE coalesce((SELECT h.new_progress FROM rectify_task_history h
                                   WHERE h.task = t.id AND h.source = 'acceptance' ORDER BY h.id DESC LIMIT 1), 0) END
                   AS accepted_progress,
               (EXISTS (SELECT FROM rectify_unit_scope s WHERE s.unit = t.lead_unit AND s.region = $2::text)
                OR (t.lead_unit = $\(unitBind)::text) IS TRUE) AS in_scope,
               t.deadline::text,
               (SELECT r.feedback_on::text FROM rectify_rounds r WHERE r.id = t.round) AS feedback_on
        FROM rectify_tasks t
        WHERE t.id = $1
        \(lock ? "FOR NO KEY UPDATE OF t" : "")
        """
    }

    package static func decode(_ row: PostgresRow, from column: Int = 0) throws -> TaskState {
        let id = try row.decode(String.self, at: column)
        let status = try row.decode(String.self, at: column + 1)
        let progress = try row.decode(Int.self, at: column + 2)
        let accepted = try row.decode(Int.self, at: column + 3)
        let inScope = try row.decode(Bool.self, at: column + 4)
        let deadlineText = try row.decode(String.self, at: column + 5)
        let feedbackText = try row.decode(String.self, at: column + 6)
        guard let deadline = Day(deadlineText), let feedback = Day(feedbackText) else {
            throw PostgresError(code: .decoding, message: "task \(id): the deadline \(deadlineText) or its round's feedback \(feedbackText) is not a day")
        }
        return TaskState(
            id: id, status: TaskStatus(rawValue: status) ?? .notStarted, progress: progress, acceptedProgress: accepted,
            inScope: inScope, deadline: deadline, feedbackMonth: feedback.period)
    }

    /// The submission `office` stored earlier under `submissionID`, if any, and the task's
    /// state (`nil` when no task has that id), in one round trip; in scope as in ``select(lock:)``.
    package static func loadWithEarlier(
        _ task: String, office: Int64, officeRegion: String?, officeUnit: String?, submissionID: String, on connection: PostgresConnection
    ) async throws -> (earlier: EarlierSubmission?, task: TaskState?) {
        let row = try await connection.query(PostgresQuery(sql: """
            SELECT s.office IS NOT NULL, s.job_id, t.*
            FROM (SELECT) AS one
            LEFT JOIN rectify_progress_submissions s ON s.office = $4 AND s.submission_id = $3
            LEFT JOIN LATERAL (\(select(lock: false, unitBind: 5))) AS t ON true
            """, binds: [task, officeRegion, submissionID, office, officeUnit]))[0]
        let earlier = try row.decode(Bool.self, at: 0) ? EarlierSubmission(job: try row.decode(Int64?.self, at: 1)) : nil
        let state = try row.decode(String?.self, at: 2) == nil ? nil : try decode(row, from: 2)
        return (earlier, state)
    }

    /// The task's state, locked for update in the caller's transaction (``lockingTasks(_:on:)``).
    /// The lock is the one the task's `UPDATE` takes anyway (`FOR NO KEY UPDATE`): a task's id
    /// never changes, so a submission for the task, whose foreign key only shares the key,
    /// need not wait for the change to commit.
    package static func lock(
        _ task: String, officeRegion: String?, officeUnit: String? = nil, on connection: isolated PostgresConnection
    ) async throws -> TaskState? {
        let query = PostgresQuery(sql: select(lock: true), binds: [task, officeRegion, officeUnit])
        return try await lockingTasks(query, on: connection).first.map { try decode($0) }
    }

    /// Runs `query`, which locks task rows, right after taking the tasks table in the mode a
    /// task's update needs (ROW EXCLUSIVE), both in one round trip; every change to a task
    /// starts here.
    ///
    /// A ledger import locks the ledger's tables against writers before it merges. Taking the
    /// table first makes a change wait for a running import before it holds a task, or the
    /// import wait until the change commits. A row lock alone (`FOR NO KEY UPDATE`) does not
    /// conflict with the import's lock: the change would hold the task and wait at its `UPDATE`
    /// for the import, while the import's merge waits to update that same task.
    static func lockingTasks(_ query: PostgresQuery, on connection: isolated PostgresConnection) async throws -> PostgresResult {
        try await connection.pipeline(["LOCK TABLE rectify_tasks IN ROW EXCLUSIVE MODE", query])[1]
    }
}
