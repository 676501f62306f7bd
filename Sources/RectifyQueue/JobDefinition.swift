public import Foundation
public import RectifyPostgres

/// A job kind with everything that goes with it: the type of its arguments, the queue it runs
/// on, its default priority, how long one attempt may run, how many attempts it gets and how
/// long it waits between them.
///
/// Producers enqueue with a definition and typed arguments (``JobQueue/enqueue(_:args:runAt:uniqueKey:priority:)``);
/// workers build their registry from the same definitions, so both sides agree on the kind's
/// name and arguments.
///
/// ```swift
/// struct SendReceipt: Codable, Sendable { var orderId: Int64 }
/// let sendReceipt = JobDefinition<SendReceipt>(kind: "send_receipt", queue: "mail", maxAttempts: 5)
/// try await queue.enqueue(sendReceipt, args: SendReceipt(orderId: 42))
/// ```
///
/// Arguments are stored as a JSON object with `snake_case` keys (`order_id` above) and read back
/// with them; spell acronyms in property names as words (`orderId`, not `orderID`), since
/// `order_id` reads back as `orderId`.
public struct JobDefinition<Args: Codable & Sendable>: Sendable {
    /// The kind's name, as stored in each job's `kind`.
    public var kind: String
    /// The queue its jobs go to; default `default`.
    public var queue: String
    /// Priority of its jobs unless the enqueue says otherwise; lower runs first; default 0.
    public var priority: Int16
    /// How long one attempt may run before it is cancelled and counted as failed; `nil` leaves
    /// it to the worker's default. A worker's per-kind setting overrides it, a job's own
    /// timeout overrides both.
    public var timeout: Duration?
    /// Attempts before a job of this kind is discarded; default 20.
    public var maxAttempts: Int32
    /// Backoff between failed attempts; `nil` uses the worker's policy.
    public var retry: RetryPolicy?

    /// Creates a definition.
    ///
    /// - Precondition: `kind` and `queue` are not empty and `maxAttempts` is positive (a
    ///   definition is a constant of the program, so a bad one is a programming error).
    public init(
        kind: String, args: Args.Type = Args.self, queue: String = "default", priority: Int16 = 0,
        timeout: Duration? = nil, maxAttempts: Int32 = 20, retry: RetryPolicy? = nil
    ) {
        precondition(!kind.isEmpty, "a job definition needs a kind")
        precondition(!queue.isEmpty, "job definition \(kind) needs a queue")
        precondition(maxAttempts > 0, "job definition \(kind) needs at least one attempt")
        self.kind = kind
        self.queue = queue
        self.priority = priority
        self.timeout = timeout
        self.maxAttempts = maxAttempts
        self.retry = retry
    }

    /// The request for one job of this kind.
    ///
    /// - Parameters:
    ///   - args: the job's arguments, encoded as a JSON object with `snake_case` keys.
    ///   - runAt: not claimed before this time; `nil` for now.
    ///   - uniqueKey: at most one live job per key; `nil` for none.
    ///   - priority: overrides the definition's priority.
    ///   - queue: overrides the definition's queue (a deployment that routes the kind elsewhere).
    /// - Throws: ``QueueError`` `.invalidRequest` when the arguments do not encode to a JSON
    ///   object, or the unique key or queue is empty.
    public func request(
        _ args: Args, runAt: Date? = nil, uniqueKey: String? = nil, priority: Int16? = nil, queue: String? = nil
    ) throws -> JobRequest {
        let data: Data
        do {
            data = try ArgumentsCoding.encoder.encode(args)
        } catch {
            throw QueueError(.invalidRequest, "args: cannot encode arguments of job kind \(kind) (\(error))")
        }
        return try JobRequest(
            kind: kind, encodedArgs: data, queue: queue ?? self.queue, priority: priority ?? self.priority,
            runAt: runAt, maxAttempts: maxAttempts, uniqueKey: uniqueKey, timeout: nil)
    }

    /// Decodes a stored job's arguments, as the worker does before running its handler.
    ///
    /// - Throws: `DecodingError` naming the field that does not fit.
    public func decode(argsJSON: String) throws -> Args {
        try ArgumentsCoding.decoder.decode(Args.self, from: Data(argsJSON.utf8))
    }
}

/// The coders of job arguments, made once: a generic type cannot hold them itself, and making
/// a decoder for every job was a visible share of a worker's time per job.
private enum ArgumentsCoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

extension JobQueue {
    /// Enqueues one job of a defined kind with typed arguments.
    ///
    /// - Parameters:
    ///   - definition: the kind, with its queue, priority and attempts.
    ///   - args: the job's arguments.
    ///   - runAt: not claimed before this time; `nil` for now.
    ///   - uniqueKey: at most one live job per key; `nil` for none.
    ///   - priority: overrides the definition's priority.
    /// - Returns: the new job's id, or `.duplicate` when a live job holds `uniqueKey`.
    /// - Throws: ``QueueError`` when the arguments cannot be encoded; database errors as `PostgresError`.
    @discardableResult
    public func enqueue<Args>(
        _ definition: JobDefinition<Args>, args: Args, runAt: Date? = nil, uniqueKey: String? = nil, priority: Int16? = nil
    ) async throws -> EnqueueOutcome {
        try await enqueue(definition.request(args, runAt: runAt, uniqueKey: uniqueKey, priority: priority))
    }

    /// Enqueues one job of a defined kind on a connection, inside the caller's transaction if
    /// one is open: the job exists only if that transaction commits, and workers are notified
    /// on commit.
    ///
    /// - Parameters: as ``enqueue(_:args:runAt:uniqueKey:priority:)``, plus the connection.
    /// - Returns: the new job's id, or `.duplicate` when a live job holds `uniqueKey`.
    @discardableResult
    public static func enqueue<Args>(
        _ definition: JobDefinition<Args>, args: Args, runAt: Date? = nil, uniqueKey: String? = nil, priority: Int16? = nil,
        on connection: isolated PostgresConnection
    ) async throws -> EnqueueOutcome {
        let request = try definition.request(args, runAt: runAt, uniqueKey: uniqueKey, priority: priority)
        return try await enqueue([request], on: connection)[0]
    }
}
