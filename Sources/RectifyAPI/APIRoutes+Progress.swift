import Foundation
import Hummingbird
import RectifyDomain
import RectifyProgress
import RectifyQueue

extension APIRoutes {
    func registerProgress(on group: RouterGroup<APIRequestContext>, routes: RouteRegistry) {
        let desk = ProgressDesk(pool: pool, timeZone: settings.timeZone)
        group.post(routes.add(.post, "/v1/progress")) { request, context in
            let office = try context.requireOffice()
            let submission = try ProgressSubmission.parse(try await jsonBody(request))
            let receipt = try await desk.submit(submission, by: office)
            return try Self.json(
                SubmissionAnswer(submissionID: receipt.submissionID, jobID: receipt.jobID, job: "/v1/jobs/\(receipt.jobID)"),
                status: .accepted, headers: [.location: "/v1/jobs/\(receipt.jobID)"])
        }
        group.get(routes.add(.get, "/v1/jobs/{id}")) { _, context in
            let office = try context.requireOffice()
            let id = try Self.id(context)
            guard try await SubmissionJobs.visible(id, to: office, pool: pool) else {
                throw APIError(.notFound, "not_found", "no job \(id) caused by this office's submissions")
            }
            let job = try await JobQueue(pool: pool).job(id: id)
            return try Self.json(JobAnswer(job))
        }
    }
}

/// The answer to an accepted submission (also to a re-sent one).
struct SubmissionAnswer: Encodable {
    var submissionID: String
    var jobID: Int64
    var job: String

    enum CodingKeys: String, CodingKey {
        case submissionID = "submission_id"
        case jobID = "job_id"
        case job
    }
}

/// A job as an office sees it: where it stands and why it failed, if it did.
struct JobAnswer: Encodable {
    var id: Int64
    var kind: String
    var state: String
    var attempts: Int32
    var maxAttempts: Int32
    var lastError: String?
    var errors: [String]
    var createdAt: Date
    var finishedAt: Date?

    init(_ job: Job) {
        id = job.id
        kind = job.kind
        state = job.state.rawValue
        attempts = job.attempt
        maxAttempts = job.maxAttempts
        lastError = job.errors.last?.error
        errors = job.errors.map(\.error)
        createdAt = job.createdAt
        finishedAt = job.finishedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, state, attempts, errors
        case maxAttempts = "max_attempts"
        case lastError = "last_error"
        case createdAt = "created_at"
        case finishedAt = "finished_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(kind, forKey: .kind)
        try container.encode(state, forKey: .state)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(maxAttempts, forKey: .maxAttempts)
        try container.encode(lastError, forKey: .lastError)
        try container.encode(errors, forKey: .errors)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(finishedAt, forKey: .finishedAt)
    }
}
