/// A progress report an office sends for one task and month, as the demo delivers it.
public struct DemoSubmission: Sendable, Hashable {
    /// The client's idempotency key: `demo-YYYY-MM-TASK`.
    public var id: String
    /// The region of the office that sends it: the task's lead unit's own region.
    public var officeRegion: String
    public var task: String
    public var period: Period
    public var progress: Int
    public var status: TaskStatus
    public var summary: String
}

/// A deadline extension (延期) the province decides during the demo's months.
public struct DemoExtension: Sendable, Hashable {
    public var task: String
    /// The new deadline.
    public var to: Day
    public var reason: String
}

/// What the province (or, for an objection, a city's office) decides on a task in a month of the
/// demo, on a day of that month.
public struct DemoDecision: Sendable, Hashable {
    /// Accept or reject the work of a task pending acceptance, or object during its public notice.
    public enum Kind: String, Sendable, Hashable {
        case accept, reject, object
    }

    public var task: String
    public var kind: Kind
    /// The day it is decided, inside the month.
    public var on: Day
    /// The region of the office that decides: the province, or the city above the task's county.
    public var officeRegion: String
    public var note: String
}

/// One month of the demo: the offices' submissions, then the decisions, in order.
public struct DemoMonth: Sendable, Hashable {
    public var period: Period
    public var submissions: [DemoSubmission] = []
    public var decisions: [DemoDecision] = []
}
