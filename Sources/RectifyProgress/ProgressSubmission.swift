public import Foundation
public import RectifyDomain
public import RectifyLedger

/// A month's progress on one task, as an office submits it (`POST /v1/progress`).
public struct ProgressSubmission: Sendable, Hashable {
    /// A file the office holds as evidence, named with its SHA-256.
    public struct Evidence: Sendable, Hashable, Codable {
        public var name: String
        public var sha256: String

        /// Creates an evidence entry.
        public init(name: String, sha256: String) {
            self.name = name
            self.sha256 = sha256
        }
    }

    /// The client's idempotency key: re-sending it returns the first answer.
    public var submissionID: String
    public var task: String
    public var period: Period
    /// 0–100.
    public var progress: Int
    public var status: TaskStatus
    public var summary: String
    public var evidence: [Evidence]

    /// Creates a submission (values are checked by ``parse(_:)`` and ``ProgressDesk``).
    public init(
        submissionID: String, task: String, period: Period, progress: Int, status: TaskStatus, summary: String = "",
        evidence: [Evidence] = []
    ) {
        self.submissionID = submissionID
        self.task = task
        self.period = period
        self.progress = progress
        self.status = status
        self.summary = summary
        self.evidence = evidence
    }

    /// The fields a submission may carry.
    public static let fields = ["submission_id", "task", "period", "progress", "status", "summary", "evidence"]

    /// Reads a submission from a request body, checking every field's shape and range.
    ///
    /// - Throws: ``ProgressError`` naming the field: `malformed_json` when the body is not a JSON
    ///   object, `unknown_field` for a field not in ``fields``, `invalid_field` for a missing,
    ///   mistyped or out-of-range value.
    public static func parse(_ body: Data) throws(ProgressError) -> ProgressSubmission {
        let object = try JSONBody.object(body)
        try JSONBody.rejectUnknown(object, allowed: fields, prefix: "")
        let submissionID = try JSONBody.string(object, "submission_id", maxLength: 200)
        let task = try JSONBody.string(object, "task", maxLength: 200)
        let periodText = try JSONBody.string(object, "period", maxLength: 7)
        guard let period = Period(periodText) else {
            throw ProgressError(.invalidField, "\"\(periodText)\" is not a month YYYY-MM", field: "period")
        }
        let progress = try JSONBody.integer(object, "progress")
        guard (0...100).contains(progress) else {
            throw ProgressError(.invalidField, "\(progress) is outside 0–100", field: "progress")
        }
        let statusText = try JSONBody.string(object, "status", maxLength: 40)
        guard let status = TaskStatus(rawValue: statusText) else {
            throw ProgressError(
                .invalidField, "\"\(statusText)\" is not one of \(TaskStatus.allCases.map(\.rawValue).joined(separator: ", "))",
                field: "status")
        }
        let summary = try JSONBody.optionalString(object, "summary", maxLength: 4000, lineBreaks: true) ?? ""
        var evidence: [Evidence] = []
        if let items = JSONBody.member(object, "evidence"), items != .null {
            guard case .array(let array) = items else { throw ProgressError(.invalidField, "must be an array", field: "evidence") }
            guard array.count <= 50 else { throw ProgressError(.invalidField, "at most 50 entries", field: "evidence") }
            for (index, item) in array.enumerated() {
                let field = "evidence[\(index)]"
                guard case .object(let entry) = item else { throw ProgressError(.invalidField, "must be an object", field: field) }
                try JSONBody.rejectUnknown(entry, allowed: ["name", "sha256"], prefix: field + ".")
                let name = try JSONBody.string(entry, "name", maxLength: 255, prefix: field + ".")
                let sha = try JSONBody.string(entry, "sha256", maxLength: 64, prefix: field + ".")
                guard Secrets.isHex64(sha) else {
                    throw ProgressError(.invalidField, "must be 64 lowercase hexadecimal digits", field: field + ".sha256")
                }
                evidence.append(Evidence(name: name, sha256: sha))
            }
        }
        return ProgressSubmission(
            submissionID: submissionID, task: task, period: period, progress: progress, status: status, summary: summary,
            evidence: evidence)
    }
}
