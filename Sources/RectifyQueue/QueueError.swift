/// An error from the queue that is not a database failure.
public struct QueueError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. Extensible: match with `==`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable { case jobNotFound, invalidRequest, invalidTransition, uniqueKeyTaken }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No job has the given id.
        public static let jobNotFound = Code(.jobNotFound)
        /// An enqueue request is malformed (empty kind, bad JSON, non-positive attempts).
        public static let invalidRequest = Code(.invalidRequest)
        /// The job's state does not allow the requested operation.
        public static let invalidTransition = Code(.invalidTransition)
        /// Another live job holds the unique key.
        public static let uniqueKeyTaken = Code(.uniqueKeyTaken)

        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A one-line explanation for the operator.
    public var message: String

    /// Creates a queue error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
