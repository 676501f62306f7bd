/// Why an office's request was refused (a submission, a decision, a read of tasks or notices),
/// by the ledger or the procedures built on it. Nothing was written.
///
/// ``code`` says what kind of refusal it is (the API maps it to an HTTP status), ``message`` says
/// what is wrong in one line, and ``field`` names the offending field of the request, if any.
public struct ProgressError: Error, Sendable, CustomStringConvertible {
    /// What kind of refusal. Extensible: match with `==`, never exhaustively.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case malformedJSON = "malformed_json"
            case unknownField = "unknown_field"
            case invalidField = "invalid_field"
            case unknownTask = "unknown_task"
            case notFound = "not_found"
            case outOfScope = "out_of_scope"
            case roleForbidden = "role_forbidden"
            case transitionForbidden = "transition_forbidden"
            case progressBelowAccepted = "progress_below_accepted"
            case periodInFuture = "period_in_future"
            case submissionIDTaken = "submission_id_taken"
            case controlCharacter = "control_character"
            case periodBeforeFeedback = "period_before_feedback"
            case evidenceNotUploaded = "evidence_not_uploaded"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The body is not a JSON object.
        public static let malformedJSON = Code(.malformedJSON)
        /// The body has a field the API does not know.
        public static let unknownField = Code(.unknownField)
        /// A field is missing, of the wrong type, or out of its range.
        public static let invalidField = Code(.invalidField)
        /// The submission names a task that is not in the ledger.
        public static let unknownTask = Code(.unknownTask)
        /// The task, job or notification does not exist, or the office may not see it.
        public static let notFound = Code(.notFound)
        /// The task lies outside the office's region and the regions below it.
        public static let outOfScope = Code(.outOfScope)
        /// The office's role may not do this (only the province decides; ops offices do not report).
        public static let roleForbidden = Code(.roleForbidden)
        /// The task state machine forbids this change of status from where the task stands.
        public static let transitionForbidden = Code(.transitionForbidden)
        /// The progress is lower than the progress the province last accepted.
        public static let progressBelowAccepted = Code(.progressBelowAccepted)
        /// The period has not begun yet.
        public static let periodInFuture = Code(.periodInFuture)
        /// Another office already used this submission id.
        public static let submissionIDTaken = Code(.submissionIDTaken)
        /// A string holds NUL or another control character (tab and line breaks are allowed in
        /// free text only).
        public static let controlCharacter = Code(.controlCharacter)
        /// The period is before the month in which the task's round fed back: no work was due then.
        public static let periodBeforeFeedback = Code(.periodBeforeFeedback)
        /// Evidence cited by a hash the office did not upload (`POST /v1/evidence`).
        public static let evidenceNotUploaded = Code(.evidenceNotUploaded)

        /// The code as the API's error body spells it (`transition_forbidden`).
        public var description: String { base.rawValue }
    }

    /// What kind of refusal.
    public var code: Code
    /// One line naming what is wrong.
    public var message: String
    /// The request field at fault (`progress`, `status`, …), if any.
    public var field: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String { field.map { "\($0): \(message)" } ?? message }
}
