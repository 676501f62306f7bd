/// An error from the schedule that is not a database failure.
public struct ScheduleError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. Extensible: match with `==`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable { case invalidCron, invalidEntry }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A cron expression does not parse, or names no time at all.
        public static let invalidCron = Code(.invalidCron)
        /// A periodic entry is malformed (empty name, bad args JSON, catch-up limit below 1).
        public static let invalidEntry = Code(.invalidEntry)

        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A one-line explanation for the operator, naming the field.
    public var message: String

    /// Creates a schedule error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
