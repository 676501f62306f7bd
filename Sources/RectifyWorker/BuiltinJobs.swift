public import RectifyQueue

/// Job kinds every worker knows.
public enum BuiltinJobs {
    /// Arguments of `noop`: optionally sleep before finishing (tests and benchmarks).
    public struct NoopArgs: Codable, Sendable {
        /// Milliseconds to sleep; default 0.
        public var sleepMs: Int?

        /// Creates arguments.
        public init(sleepMs: Int? = nil) { self.sleepMs = sleepMs }
    }

    /// The kind of the built-in job that does nothing.
    public static let noop = "noop"
    /// The definition of `noop`.
    public static let noopDefinition = JobDefinition(kind: noop, args: NoopArgs.self)

    /// Registers the built-in kinds.
    public static func register(into registry: inout JobRegistry) {
        registry.register(noopDefinition) { args, _ in
            if let sleep = args.sleepMs, sleep > 0 { try await Task.sleep(for: .milliseconds(sleep)) }
        }
    }
}
