public import Foundation

/// A job to enqueue.
public struct JobRequest: Sendable, Hashable {
    /// The handler kind (`noop`, `monthly_schedule`, …).
    public var kind: String
    /// The arguments as a JSON object.
    public var argsJSON: String
    /// The queue; default `default`.
    public var queue: String
    /// Lower runs first; default 0.
    public var priority: Int16
    /// Not claimed before this time; `nil` means now.
    public var runAt: Date?
    /// Attempts before the job is discarded; default 20.
    public var maxAttempts: Int32
    /// At most one live job per key; `nil` for none.
    public var uniqueKey: String?
    /// How long one attempt may run before it is cancelled and counted as failed; `nil` leaves
    /// it to the worker's setting for the kind.
    public var timeout: Duration?

    /// Creates a request from already-encoded JSON arguments.
    ///
    /// - Throws: ``QueueError`` `.invalidRequest` naming the field when the kind or queue is empty,
    ///   `argsJSON` is not a JSON object, or `maxAttempts` is not positive.
    public init(
        kind: String, argsJSON: String = "{}", queue: String = "default", priority: Int16 = 0, runAt: Date? = nil,
        maxAttempts: Int32 = 20, uniqueKey: String? = nil, timeout: Duration? = nil
    ) throws {
        try Self.check(kind: kind, queue: queue, maxAttempts: maxAttempts, uniqueKey: uniqueKey, timeout: timeout)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(argsJSON.utf8))
        } catch {
            throw QueueError(.invalidRequest, "args: not valid JSON (\(Self.reason(error)))")
        }
        guard object is [String: Any] else { throw QueueError(.invalidRequest, "args: must be a JSON object") }
        self.init(
            checkedKind: kind, argsJSON: argsJSON, queue: queue, priority: priority, runAt: runAt, maxAttempts: maxAttempts,
            uniqueKey: uniqueKey, timeout: timeout)
    }

    /// Creates a request from arguments that `JSONEncoder` just wrote: valid JSON, so only its
    /// outermost kind is checked, not parsed again.
    init(
        kind: String, encodedArgs: Data, queue: String, priority: Int16, runAt: Date?, maxAttempts: Int32, uniqueKey: String?,
        timeout: Duration?
    ) throws {
        try Self.check(kind: kind, queue: queue, maxAttempts: maxAttempts, uniqueKey: uniqueKey, timeout: timeout)
        guard encodedArgs.first == UInt8(ascii: "{") else { throw QueueError(.invalidRequest, "args: must be a JSON object") }
        self.init(
            checkedKind: kind, argsJSON: String(decoding: encodedArgs, as: UTF8.self), queue: queue, priority: priority,
            runAt: runAt, maxAttempts: maxAttempts, uniqueKey: uniqueKey, timeout: timeout)
    }

    /// Creates a request whose arguments are encoded from a value.
    public init<Args: Encodable>(
        kind: String, args: Args, queue: String = "default", priority: Int16 = 0, runAt: Date? = nil,
        maxAttempts: Int32 = 20, uniqueKey: String? = nil, timeout: Duration? = nil
    ) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try self.init(
            kind: kind, encodedArgs: try encoder.encode(args), queue: queue, priority: priority, runAt: runAt, maxAttempts: maxAttempts,
            uniqueKey: uniqueKey, timeout: timeout)
    }

    private init(
        checkedKind kind: String, argsJSON: String, queue: String, priority: Int16, runAt: Date?, maxAttempts: Int32,
        uniqueKey: String?, timeout: Duration?
    ) {
        self.kind = kind
        self.argsJSON = argsJSON
        self.queue = queue
        self.priority = priority
        self.runAt = runAt
        self.maxAttempts = maxAttempts
        self.uniqueKey = uniqueKey
        self.timeout = timeout
    }

    private static func check(kind: String, queue: String, maxAttempts: Int32, uniqueKey: String?, timeout: Duration?) throws {
        guard !kind.isEmpty else { throw QueueError(.invalidRequest, "kind: must not be empty") }
        guard !queue.isEmpty else { throw QueueError(.invalidRequest, "queue: must not be empty") }
        guard maxAttempts > 0 else { throw QueueError(.invalidRequest, "max_attempts: must be at least 1") }
        guard uniqueKey.map({ !$0.isEmpty }) ?? true else {
            throw QueueError(.invalidRequest, "unique_key: must not be empty")
        }
        if let timeout, timeout < .milliseconds(1) || timeout > .seconds(Int32.max / 1000) {
            throw QueueError(.invalidRequest, "timeout: must be between 1 ms and 24 days")
        }
    }

    private static func reason(_ error: any Error) -> String {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        return text ?? "unreadable"
    }
}

/// What happened to one enqueue request.
public enum EnqueueOutcome: Sendable, Hashable {
    /// A new job was created with this id.
    case inserted(id: Int64)
    /// A live job already holds the unique key; nothing was written.
    case duplicate(uniqueKey: String)

    /// The new job's id, if one was created.
    public var insertedID: Int64? {
        if case .inserted(let id) = self { return id }
        return nil
    }
}
