public import Foundation
import Logging
public import RectifyDomain
public import RectifyLedger
public import RectifyPostgres
import RectifyQueue

/// Close-out (销号): the province accepts or rejects a task's work; acceptance opens the public
/// notice (公示), during which any office in scope may object; when it ends with no objection a
/// scheduled job closes the task.
public struct CloseOut: Sendable {
    /// The province's decision on a task waiting for acceptance.
    public enum Decision: String, Sendable, CaseIterable {
        case accept
        case reject
    }

    /// What a decision or an objection did.
    public struct Outcome: Sendable, Hashable {
        public var task: String
        public var status: TaskStatus
        /// The history entry recording it.
        public var historyID: Int64
        /// The job that closes the task when the public notice ends (acceptance only).
        public var publicNoticeJobID: Int64?
        /// When the public notice ends (acceptance only).
        public var publicNoticeEndsAt: Date?
    }

    private let pool: PostgresPool
    /// How long the public notice lasts; default 7 days.
    public var publicNotice: PublicNoticeLength
    /// The province's time zone, for the day a task closes on.
    public var timeZone: TimeZone
    /// The queue of the public-notice jobs.
    public var queue: String

    /// Creates the close-out desk.
    public init(pool: PostgresPool, publicNotice: PublicNoticeLength = .days(7), timeZone: TimeZone, queue: String = "default") {
        self.pool = pool
        self.publicNotice = publicNotice
        self.timeZone = timeZone
        self.queue = queue
    }

    /// Records the province's decision on a `pending_acceptance` task.
    ///
    /// Accepting makes it `accepted` and schedules the end of its public notice; rejecting sends
    /// it back to `in_progress` with the note, which is then required.
    ///
    /// `now` is when the province decides (the demo sets it for each month it simulates): the
    /// notice runs ``publicNotice`` from it, and the task closes on the notice's last day.
    ///
    /// - Throws: ``ProgressError``: `role_forbidden` unless a provincial office decides,
    ///   `not_found`, `out_of_scope`, `invalid_field` (a rejection without a note),
    ///   `transition_forbidden` unless the task is `pending_acceptance`.
    public func decide(
        task: String, decision: Decision, note: String, by office: Office, person: String? = nil, at now: Date = Date()
    ) async throws -> Outcome {
        guard office.isProvince, let region = office.region else {
            throw ProgressError(.roleForbidden, "only the provincial office accepts or rejects a task's work")
        }
        let trimmed = note.trimmingCharacters(in: .whitespacesAndNewlines)
        if decision == .reject && trimmed.isEmpty {
            throw ProgressError(.invalidField, "a rejection needs a note saying what is missing", field: "note")
        }
        let (runAt, endsOn) = publicNotice.end(openedAt: now, in: timeZone)
        let queue = self.queue
        let zone = timeZone.identifier
        return try await pool.transaction { connection in
            let state = try await Self.lockInScope(task, region: region, office: office, on: connection)
            guard state.status == .pendingAcceptance else {
                throw ProgressError(
                    .transitionForbidden,
                    "task \(task) is \(state.status.rawValue); only a pending_acceptance task can be accepted or rejected",
                    field: "decision")
            }
            let next: TaskStatus = decision == .accept ? .accepted : .inProgress
            // An acceptance keeps the progress it accepted on both sides: the floor later submissions keep to.
            let historyID = try await TaskHistory.apply(TaskChange(
                task: task, source: decision == .accept ? .acceptance : .rejection, actor: office.actor(person: person), note: trimmed,
                status: (state.status, next), progress: decision == .accept ? (state.progress, state.progress) : (nil, nil)),
                on: connection)
            guard decision == .accept else {
                return Outcome(task: task, status: next, historyID: historyID)
            }
            let request = try ProgressJobs.closeAfterPublicNoticeDefinition.request(
                ProgressJobs.NoticeArgs(task: task, acceptance: historyID, timeZone: zone, endsOn: "\(endsOn)"), runAt: runAt, queue: queue)
            let jobID = try await JobQueue.enqueue([request], on: connection)[0].insertedID
            return Outcome(task: task, status: next, historyID: historyID, publicNoticeJobID: jobID, publicNoticeEndsAt: runAt)
        }
    }

    /// Records an office's objection during a task's public notice: the task goes back to
    /// `in_progress`, and the notice's job finds it no longer accepted and leaves it open. Only
    /// an office above the lead unit's region objects; the lead unit's own office may not.
    ///
    /// - Throws: ``ProgressError``: `role_forbidden` for an ops office or the lead unit's own
    ///   office, `not_found`, `out_of_scope`, `invalid_field` without a reason,
    ///   `transition_forbidden` unless the task is `accepted` (in its public notice).
    public func object(task: String, reason: String, by office: Office, person: String? = nil) async throws -> Outcome {
        guard let region = office.region, !office.isOps else {
            throw ProgressError(.roleForbidden, "\(office.name) is not a region's office; only an office above the lead unit's region objects")
        }
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ProgressError(.invalidField, "an objection needs a reason", field: "reason") }
        return try await pool.transaction { connection in
            let state = try await Self.lockInScope(task, region: region, office: office, on: connection)
            if try await TaskHistory.leadUnitRegion(task: task, on: connection) == region {
                throw ProgressError(.roleForbidden, "\(office.name) is the lead unit's own office; only an office above it may object")
            }
            guard state.status == .accepted else {
                throw ProgressError(
                    .transitionForbidden, "task \(task) is \(state.status.rawValue); objections are taken only during the public notice of an accepted task",
                    field: "reason")
            }
            let historyID = try await TaskHistory.apply(TaskChange(
                task: task, source: .objection, actor: office.actor(person: person), note: trimmed, status: (.accepted, .inProgress)),
                on: connection)
            return Outcome(task: task, status: .inProgress, historyID: historyID)
        }
    }

    /// The province's decision on an objection from the public. Upheld, the task goes back to
    /// `in_progress` with the objection in its history. Dismissed (a reason is required), the
    /// objection no longer holds the notice: once none is pending, the task closes when its
    /// notice ends, or now if it has ended, on that day.
    ///
    /// - Throws: ``ProgressError``: `role_forbidden` unless a provincial office decides,
    ///   `not_found` for an objection that is unknown or decided, `invalid_field` for a
    ///   dismissal without a reason.
    public func decideObjection(
        _ id: Int64, uphold: Bool, reason: String, by office: Office, person: String? = nil, at now: Date = Date()
    ) async throws {
        guard office.isProvince else { throw ProgressError(.roleForbidden, "only the provincial office decides on objections") }
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if !uphold && trimmed.isEmpty {
            throw ProgressError(.invalidField, "a dismissal needs the reason for it", field: "reason")
        }
        let actor = office.actor(person: person)
        let (queue, zone, notice) = (self.queue, timeZone, publicNotice)
        try await pool.transaction { connection in
            guard let objection = try await PublicObjections.lockPending(id, on: connection) else {
                throw ProgressError(.notFound, "no objection \(id) waiting for a decision")
            }
            guard let state = try await TaskState.lock(objection.task, officeRegion: nil, on: connection) else {
                throw ProgressError(.notFound, "no task \(objection.task)")
            }
            try await PublicObjections.decide(id, upheld: uphold, reason: trimmed, by: actor, on: connection)
            let current = try await TaskHistory.latestStatusChange(task: objection.task, on: connection) == objection.acceptance
            guard state.status == .accepted, current else { return }
            if uphold {
                let note = "公众异议（\(objection.name)）：\(objection.reason)" + (trimmed.isEmpty ? "" : "；\(trimmed)")
                try await TaskHistory.apply(TaskChange(
                    task: objection.task, source: .objection, actor: actor, reference: "public objection \(id)", note: note,
                    status: (.accepted, .inProgress)), on: connection)
                return
            }
            guard try await PublicObjections.pendingCount(acceptance: objection.acceptance, on: connection) == 0,
                  let acceptedAt = try await TaskHistory.changedAt(objection.acceptance, on: connection) else { return }
            // The notice ends when it would have, or now, whichever is later: the task closes that day.
            let scheduled = notice.end(openedAt: acceptedAt, in: zone)
            let (endsAt, endsOn) = scheduled.at > now ? scheduled : (now, Day(containing: now, in: zone))
            let request = try ProgressJobs.closeAfterPublicNoticeDefinition.request(
                ProgressJobs.NoticeArgs(task: objection.task, acceptance: objection.acceptance, timeZone: zone.identifier, endsOn: "\(endsOn)"),
                runAt: endsAt, queue: queue)
            _ = try await JobQueue.enqueue([request], on: connection)
        }
    }

    private static func lockInScope(
        _ task: String, region: String, office: Office, on connection: isolated PostgresConnection
    ) async throws -> TaskState {
        guard let state = try await TaskState.lock(task, officeRegion: region, on: connection) else {
            throw ProgressError(.notFound, "no task \(task)")
        }
        guard state.inScope else { throw ProgressError(.outOfScope, "task \(task) is outside \(office.name)'s region") }
        return state
    }

    /// The end of a public notice: closes the task (`closed`, `closed_on` the day the notice
    /// ended, in the province's time zone) if it is still accepted by the acceptance that opened
    /// the notice and no objection from the public waits for the province's decision.
    static func endPublicNotice(_ args: ProgressJobs.NoticeArgs, on connection: isolated PostgresConnection, logger: Logger) async throws {
        guard let state = try await TaskState.lock(args.task, officeRegion: nil, on: connection) else {
            throw JobControl.cancel(reason: "task \(args.task) is gone")
        }
        // The task's latest change of status must still be the acceptance that opened this notice.
        let latest = try await TaskHistory.latestStatusChange(task: args.task, on: connection)
        guard state.status == .accepted, latest == args.acceptance else {
            logger.info("public notice ended after an objection or a later change; task left as it is", metadata: [
                "task": "\(args.task)", "status": "\(state.status.rawValue)",
            ])
            return
        }
        // Objections from the public still waiting hold the notice open: the province's last
        // decision closes the task (``CloseOut/decideObjection(_:uphold:reason:by:person:at:)``).
        guard try await PublicObjections.pendingCount(acceptance: args.acceptance, on: connection) == 0 else {
            logger.info("public notice ended with objections waiting for the province; the last decision closes it", metadata: [
                "task": "\(args.task)",
            ])
            return
        }
        let today = args.endsOn.flatMap(Day.init)
            ?? Day(containing: Date(), in: TimeZone(identifier: args.timeZone) ?? TimeZone(identifier: "Asia/Shanghai")!)
        try await TaskHistory.apply(TaskChange(
            task: args.task, source: .publicNotice, actor: "public notice", reference: "\(args.acceptance)",
            note: "public notice ended with no objection", status: (.accepted, .closed)), closedOn: today, on: connection)
    }
}
