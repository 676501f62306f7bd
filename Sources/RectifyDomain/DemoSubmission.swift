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
