import Foundation
import Hummingbird
import NIOCore
import RectifyDomain
import RectifyLedger
import RectifyProgress

extension APIRoutes {
    func registerTasks(on group: RouterGroup<APIRequestContext>, routes: RouteRegistry) {
        let directory = TaskDirectory(pool: pool, timeZone: settings.timeZone)
        let closeOut = CloseOut(pool: pool, publicNotice: settings.publicNotice, timeZone: settings.timeZone)
        group.get(routes.add(.get, "/v1/tasks")) { request, context in
            let office = try context.requireOffice()
            var filter = TaskDirectory.Filter()
            let query = request.uri.queryParameters
            if let region = query["region"] {
                guard region.count == 6, region.allSatisfy(\.isNumber) else {
                    throw APIError(.badRequest, "invalid_field", "region must be a 6-digit region code", field: "region")
                }
                filter.region = String(region)
            }
            if let status = query["status"] {
                guard let parsed = TaskStatus(rawValue: String(status)) else {
                    throw APIError(.badRequest, "invalid_field",
                                   "status must be one of \(TaskStatus.allCases.map(\.rawValue).joined(separator: ", "))", field: "status")
                }
                filter.status = parsed
            }
            filter.overdue = try Self.boolean(request, "overdue")
            filter.limit = try Self.integer(request, "limit", in: 1...200, default: 50)
            if let after = query["after"] {
                guard !after.isEmpty, after.count <= 200 else {
                    throw APIError(.badRequest, "invalid_field", "after must be a task id", field: "after")
                }
                filter.after = String(after)
            }
            let page = try await directory.list(filter, by: office)
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: page.json)))
        }
        group.get(routes.add(.get, "/v1/tasks/{id}")) { _, context in
            let office = try context.requireOffice()
            let id = context.parameters.get("id") ?? ""
            let found = try await directory.task(id, by: office)
            return try Self.json(TaskAnswer(task: found.task, history: found.history.map(HistoryAnswer.init)))
        }
        group.post(routes.add(.post, "/v1/tasks/{id}/acceptance")) { request, context in
            let office = try context.requireOffice()
            let id = context.parameters.get("id") ?? ""
            let body = try JSONBody.object(try await jsonBody(request))
            try JSONBody.rejectUnknown(body, allowed: ["decision", "note"])
            let decisionText = try JSONBody.string(body, "decision", maxLength: 20)
            guard let decision = CloseOut.Decision(rawValue: decisionText) else {
                throw APIError(.badRequest, "invalid_field", "decision must be accept or reject", field: "decision")
            }
            let note = try JSONBody.optionalString(body, "note", maxLength: 4000, lineBreaks: true) ?? ""
            let outcome = try await closeOut.decide(task: id, decision: decision, note: note, by: office)
            return try Self.json(DecisionAnswer(outcome))
        }
        group.post(routes.add(.post, "/v1/tasks/{id}/objection")) { request, context in
            let office = try context.requireOffice()
            let id = context.parameters.get("id") ?? ""
            let body = try JSONBody.object(try await jsonBody(request))
            try JSONBody.rejectUnknown(body, allowed: ["reason"])
            let reason = try JSONBody.string(body, "reason", maxLength: 4000, lineBreaks: true)
            let outcome = try await closeOut.object(task: id, reason: reason, by: office)
            return try Self.json(DecisionAnswer(outcome))
        }
    }
}

struct TaskAnswer: Encodable {
    var task: TaskDirectory.Summary
    var history: [HistoryAnswer]
}

/// One change in a task's history. Values that did not change are null.
struct HistoryAnswer: Encodable {
    var id: Int64
    var changedAt: Date
    var source: String
    var actor: String
    var reference: String?
    var note: String
    var oldStatus: String?
    var newStatus: String?
    var oldProgress: Int?
    var newProgress: Int?
    var oldDeadline: String?
    var newDeadline: String?

    init(_ entry: TaskHistory.Entry) {
        id = entry.id
        changedAt = entry.changedAt
        source = entry.change.source.rawValue
        actor = entry.change.actor
        reference = entry.change.reference
        note = entry.change.note
        oldStatus = entry.change.status.old?.rawValue
        newStatus = entry.change.status.new?.rawValue
        oldProgress = entry.change.progress.old
        newProgress = entry.change.progress.new
        oldDeadline = entry.change.deadline.old?.description
        newDeadline = entry.change.deadline.new?.description
    }

    enum CodingKeys: String, CodingKey {
        case id, source, actor, reference, note
        case changedAt = "changed_at"
        case oldStatus = "old_status", newStatus = "new_status"
        case oldProgress = "old_progress", newProgress = "new_progress"
        case oldDeadline = "old_deadline", newDeadline = "new_deadline"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(changedAt, forKey: .changedAt)
        try c.encode(source, forKey: .source)
        try c.encode(actor, forKey: .actor)
        try c.encode(reference, forKey: .reference)
        try c.encode(note, forKey: .note)
        try c.encode(oldStatus, forKey: .oldStatus)
        try c.encode(newStatus, forKey: .newStatus)
        try c.encode(oldProgress, forKey: .oldProgress)
        try c.encode(newProgress, forKey: .newProgress)
        try c.encode(oldDeadline, forKey: .oldDeadline)
        try c.encode(newDeadline, forKey: .newDeadline)
    }
}

/// What a decision or objection did.
struct DecisionAnswer: Encodable {
    var task: String
    var status: String
    var publicNoticeJobID: Int64?
    var publicNoticeEndsAt: Date?

    init(_ outcome: CloseOut.Outcome) {
        task = outcome.task
        status = outcome.status.rawValue
        publicNoticeJobID = outcome.publicNoticeJobID
        publicNoticeEndsAt = outcome.publicNoticeEndsAt
    }

    enum CodingKeys: String, CodingKey {
        case task, status
        case publicNoticeJobID = "public_notice_job_id"
        case publicNoticeEndsAt = "public_notice_ends_at"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(task, forKey: .task)
        try c.encode(status, forKey: .status)
        try c.encode(publicNoticeJobID, forKey: .publicNoticeJobID)
        try c.encode(publicNoticeEndsAt, forKey: .publicNoticeEndsAt)
    }
}
