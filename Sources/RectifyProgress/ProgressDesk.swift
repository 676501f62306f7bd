public import Foundation
import RectifyDomain
public import RectifyLedger
public import RectifyPostgres
import RectifyQueue

/// Receives the offices' progress submissions: checks each against the ledger, the office's
/// scope and the task state machine, then stores it with the job that applies it, in one
/// transaction.
public struct ProgressDesk: Sendable {
    /// What a submission got: the job that applies it.
    public struct Receipt: Sendable, Hashable {
        public var submissionID: String
        /// The `apply_progress` job.
        public var jobID: Int64
        /// True when the submission id had been received before and this is the first answer again.
        public var repeated: Bool
    }

    private let pool: PostgresPool
    /// The province's time zone: a period is in the future until its first day begins there.
    public var timeZone: TimeZone
    /// The queue the `apply_progress` jobs go to.
    public var queue: String

    /// Creates a desk on a pool.
    public init(pool: PostgresPool, timeZone: TimeZone, queue: String = "default") {
        self.pool = pool
        self.timeZone = timeZone
        self.queue = queue
    }

    /// Checks and stores a submission with its `apply_progress` job; `person` names who sent
    /// it on the desk (`nil`: the office's systems, with its token).
    ///
    /// The submission and its job are written in one round trip and one transaction
    /// (``JobQueue/enqueue(_:along:on:)``). Re-sending a submission id the same office used
    /// before returns the first receipt and writes nothing, also when two identical submissions
    /// race: the second insert waits for the first to commit, fails on the taken id, and its
    /// job is rolled back with it. Ids are each office's own: another office's use of the same
    /// string neither blocks nor reveals anything.
    ///
    /// - Throws: ``ProgressError``: `role_forbidden` for an ops office, `period_in_future`,
    ///   `unknown_task`, `out_of_scope`, `period_before_feedback`, `progress_below_accepted`, `transition_forbidden`,
    ///   `evidence_not_uploaded` (a file the office did not upload),
    ///   `submission_id_taken` (an id whose first answer cannot be repeated). Nothing is written then.
    public func submit(_ submission: ProgressSubmission, by office: Office, person: String? = nil, now: Date = Date()) async throws -> Receipt {
        guard !office.isOps else {
            throw ProgressError(.roleForbidden, "an ops office does not report progress")
        }
        // One connection for the read and the write: each borrowing costs a turn of the pool.
        return try await pool.withConnection { connection in
            let (earlier, state) = try await TaskState.loadWithEarlier(
                submission.task, office: office.id, officeRegion: office.region, officeUnit: office.unit, submissionID: submission.submissionID, on: connection)
            if let earlier { return try receipt(submission.submissionID, earlier: earlier) }
            guard submission.period <= Period(containing: now, in: timeZone) else {
                throw ProgressError(.periodInFuture, "\(submission.period) has not begun yet", field: "period")
            }
            guard let task = state else {
                throw ProgressError(.unknownTask, "no task \(submission.task) in the ledger", field: "task")
            }
            guard task.inScope else {
                throw ProgressError(.outOfScope, "task \(submission.task) is outside \(office.name)'s region", field: "task")
            }
            guard submission.period >= task.feedbackMonth else {
                throw ProgressError(
                    .periodBeforeFeedback,
                    "\(submission.period) is before \(task.feedbackMonth), the month task \(submission.task)'s round fed back", field: "period")
            }
            try TaskRules.checkSubmission(status: submission.status, progress: submission.progress, on: task)
            let foreign = try await EvidenceStore.notUploaded(submission.evidence.map(\.sha256), by: office.id, on: connection)
            if let first = foreign.first {
                throw ProgressError(
                    .evidenceNotUploaded, "evidence \(first) was not uploaded by \(office.name); upload it with POST /v1/evidence first",
                    field: "evidence")
            }
            return try await store(submission, by: office, person: person, on: connection)
        }
    }

    private func store(
        _ submission: ProgressSubmission, by office: Office, person: String?, on connection: PostgresConnection
    ) async throws -> Receipt {
        let request = try JobRequest(
            kind: ProgressJobs.applyProgress,
            args: ProgressJobs.Args(submission: submission.submissionID, office: office.id, period: "\(submission.period)"), queue: queue)
        let insert = SubmissionRecords.insert(
            id: submission.submissionID, office: office.id, submittedBy: person.map { office.actor(person: $0) }, task: submission.task, period: submission.period,
            progress: submission.progress, status: submission.status, summary: submission.summary,
            evidence: PostgresJSON(submission.evidence))
        do {
            let jobID = try await JobQueue.enqueue(request, along: [insert], on: connection).jobID
            return Receipt(submissionID: submission.submissionID, jobID: jobID, repeated: false)
        } catch let error as PostgresError where error.sqlState == .uniqueViolation && error.constraint == SubmissionRecords.idKey {
            // The same id committed first in another request, and this job was rolled back with
            // the insert: answer as that request was answered.
            if let earlier = try await earlierReceipt(submission.submissionID, office: office, on: connection) { return earlier }
            throw ProgressError(.submissionIDTaken, "submission id \(submission.submissionID) is being used", field: "submission_id")
        }
    }

    private func earlierReceipt(_ submissionID: String, office: Office, on connection: PostgresConnection) async throws -> Receipt? {
        guard let earlier = try await SubmissionRecords.stored(submissionID, office: office.id, on: connection) else { return nil }
        return try receipt(submissionID, earlier: earlier)
    }

    private func receipt(_ submissionID: String, earlier: EarlierSubmission) throws -> Receipt {
        // Submissions stored before each one recorded its apply job have no first answer to repeat.
        guard let jobID = earlier.job else {
            throw ProgressError(
                .submissionIDTaken,
                "submission id \(submissionID) was received before submissions recorded their job, so its answer cannot be repeated; send new progress under a new submission id",
                field: "submission_id")
        }
        return Receipt(submissionID: submissionID, jobID: jobID, repeated: true)
    }
}
