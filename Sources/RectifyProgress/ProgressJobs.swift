import Foundation
import Logging
import RectifyDomain
import RectifyLedger
public import RectifyPostgres
public import RectifyQueue

/// The progress module's jobs: applying a submission to its task, and closing a task when its
/// public notice ends. Each job's change, its history entry and its completion commit together.
public enum ProgressJobs {
    /// The kind of the job that applies one submission to its task.
    public static let applyProgress = "apply_progress"
    /// The kind of the job that closes an accepted task when its public notice ends.
    public static let closeAfterPublicNotice = "close_after_public_notice"

    /// Arguments of `apply_progress`: the submission, and its period (which the name-and-shame
    /// job waits on).
    public struct Args: Codable, Sendable {
        /// The submission's id (its `submission_id`), the office's own.
        public var submission: String
        /// The office that sent it; jobs enqueued while ids were one namespace have none.
        public var office: Int64?
        /// `YYYY-MM`.
        public var period: String

        /// Creates arguments.
        public init(submission: String, office: Int64, period: String) {
            self.submission = submission
            self.office = office
            self.period = period
        }
    }

    /// Arguments of `close_after_public_notice`.
    public struct NoticeArgs: Codable, Sendable {
        /// The task.
        public var task: String
        /// The history entry of the acceptance that opened the notice.
        public var acceptance: Int64
        /// The province's time zone, for the day the task closes on.
        public var timeZone: String
        /// The day the notice ends (`YYYY-MM-DD`), which the task closes on; notices opened
        /// before this was kept close on the day their job runs.
        public var endsOn: String?

        /// Creates arguments.
        public init(task: String, acceptance: Int64, timeZone: String, endsOn: String? = nil) {
            self.task = task
            self.acceptance = acceptance
            self.timeZone = timeZone
            self.endsOn = endsOn
        }
    }

    /// The definition of `apply_progress`.
    public static let applyProgressDefinition = JobDefinition(kind: applyProgress, args: Args.self)
    /// The definition of `close_after_public_notice`.
    public static let closeAfterPublicNoticeDefinition = JobDefinition(kind: closeAfterPublicNotice, args: NoticeArgs.self)

    /// Registers both kinds.
    public static func register(into registry: inout JobRegistry) {
        registry.register(applyProgressDefinition) { args, connection, context in
            try await apply(args, on: connection, logger: context.logger)
        }
        registry.register(closeAfterPublicNoticeDefinition) { args, connection, context in
            try await CloseOut.endPublicNotice(args, on: connection, logger: context.logger)
        }
    }

    /// Applies a submission: the task takes its progress and status unless a later submission
    /// for the task exists (a retried or late job never undoes newer news); such a submission is
    /// cancelled, naming the latest one, so that the office sees why in `GET /v1/jobs/{id}`.
    /// Submissions are ordered by period, then the time they were received, then their id. The
    /// later ones are looked for once the task is locked, so that one stored meanwhile either
    /// is seen or has its job wait for this one and apply after it. The rules are checked again
    /// on the task as it stands now; a submission they refuse is cancelled with the reason.
    static func apply(_ args: Args, on connection: isolated PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query("""
            SELECT s.task, s.progress, s.status, o.name, o.id, s.submitted_by
            FROM rectify_ledger_submissions s JOIN rectify_ledger_offices o ON o.id = s.office
            WHERE s.submission_id = \(args.submission) AND (s.office = \(args.office) OR \(args.office)::int8 IS NULL)
            """)
        guard let row = rows.first else { throw JobControl.cancel(reason: "no submission \(args.submission)") }
        let (taskID, progress, statusText, officeName, officeID, submittedBy) = try row.decode((String, Int, String, String, Int64, String?).self)
        guard let status = TaskStatus(rawValue: statusText),
            let task = try await TaskState.lock(taskID, officeRegion: nil, on: connection)
        else { throw JobControl.cancel(reason: "task \(taskID) of submission \(args.submission) is gone") }
        let latest = try await connection.query("""
            SELECT n.submission_id || ' for ' || n.period FROM rectify_ledger_submissions n, rectify_ledger_submissions s
            WHERE s.submission_id = \(args.submission) AND s.office = \(officeID) AND n.task = s.task
              AND (n.period, n.submitted_at, n.submission_id, n.office) > (s.period, s.submitted_at, s.submission_id, s.office)
            ORDER BY n.period DESC, n.submitted_at DESC, n.submission_id DESC, n.office DESC LIMIT 1
            """)
        if let later = try latest.first?.decode(String.self, at: 0) {
            throw JobControl.cancel(reason: "not applied: the later submission \(later) supersedes it for task \(taskID)")
        }
        do {
            try TaskRules.checkSubmission(status: status, progress: progress, on: task)
        } catch {
            throw JobControl.cancel(reason: "not applied: \(error.message)")
        }
        guard status != task.status || progress != task.progress else { return }
        try await TaskHistory.apply(TaskChange(
            task: taskID, source: .submission, actor: submittedBy ?? "\(officeName) via API", reference: args.submission,
            status: status == task.status ? (nil, nil) : (task.status, status),
            progress: progress == task.progress ? (nil, nil) : (task.progress, progress)), on: connection)
    }

    /// How many submissions of `period` or before are still waiting to be applied: the report
    /// jobs wait until it is 0, so that they see all the progress the offices reported.
    public static func pending(upTo period: String, on connection: isolated PostgresConnection) async throws -> Int {
        try await JobQueue.unfinishedCount(kind: applyProgress, argument: "period", atMost: period, on: connection)
    }
}
