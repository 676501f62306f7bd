import Foundation
public import RectifyPostgres

/// The handlers a worker can run, by job kind, with typed `Decodable` arguments.
///
/// ```swift
/// var registry = JobRegistry()
/// registry.register("noop", args: NoopArgs.self) { args, context in … }
/// registry.register("monthly_schedule", args: PeriodArgs.self) { args, connection, context in
///     // writes here commit together with the job's completion, or not at all
/// }
/// ```
public struct JobRegistry: Sendable {
    enum Body: Sendable {
        /// Completed in batches after the handler returns; effects outside the database.
        case plain(@Sendable (String, JobContext) async throws -> Void)
        /// Runs inside a transaction, at the isolation level given, that also completes the job.
        case transactional(
            @Sendable (String, isolated PostgresConnection, JobContext) async throws -> Void, TransactionIsolation?)
    }

    private var handlers: [String: Body] = [:]
    private var timeouts: [String: Duration] = [:]

    /// Creates an empty registry.
    public init() {}

    /// The registered kinds, sorted.
    public var kinds: [String] { handlers.keys.sorted() }

    /// Registers a handler whose effects are outside the database (or idempotent).
    ///
    /// The job is completed after the handler returns, batched with others; if the worker dies
    /// in between, the job runs again.
    ///
    /// - Parameter timeout: how long one attempt may run before it is cancelled and counted as
    ///   failed, unless the job or the worker's configuration says otherwise; `nil` leaves it to
    ///   the worker's default.
    public mutating func register<Args: Decodable & Sendable>(
        _ kind: String, args: Args.Type, timeout: Duration? = nil,
        run: @escaping @Sendable (Args, JobContext) async throws -> Void
    ) {
        precondition(handlers[kind] == nil, "job kind \(kind) registered twice")
        handlers[kind] = .plain { json, context in try await run(try Self.decode(Args.self, json, kind: kind), context) }
        timeouts[kind] = timeout
    }

    /// Registers a handler that writes to the database: its writes and the job's completion
    /// commit in one transaction, so they happen exactly once or not at all.
    ///
    /// The transaction begins at `isolation` and locks the job's row before `run` is called,
    /// so a handler that needs one snapshot asks for `.repeatableRead` here (a
    /// `SET TRANSACTION` inside the handler would come too late).
    ///
    /// - Parameters:
    ///   - isolation: the transaction's isolation level; `nil` for read committed.
    ///   - timeout: as for plain handlers.
    public mutating func register<Args: Decodable & Sendable>(
        _ kind: String, args: Args.Type, isolation: TransactionIsolation? = nil, timeout: Duration? = nil,
        inTransaction run: @escaping @Sendable (Args, isolated PostgresConnection, JobContext) async throws -> Void
    ) {
        precondition(handlers[kind] == nil, "job kind \(kind) registered twice")
        handlers[kind] = .transactional({ json, connection, context in
            try await run(try Self.decode(Args.self, json, kind: kind), connection, context)
        }, isolation)
        timeouts[kind] = timeout
    }

    func body(for kind: String) -> Body? { handlers[kind] }

    /// The timeout registered with a kind, if any.
    func timeout(for kind: String) -> Duration? { timeouts[kind] }

    private static func decode<Args: Decodable>(_ type: Args.Type, _ json: String, kind: String) throws -> Args {
        do {
            return try argumentDecoder.decode(Args.self, from: Data(json.utf8))
        } catch {
            throw UndecodableArguments(kind: kind, reason: DecodingErrorDescription.describe(error))
        }
    }
}

/// Decodes every job's arguments; `snake_case` keys in JSON, `camelCase` in Swift.
/// `JSONDecoder` keeps no state between calls once configured, so one instance serves all workers.
private let argumentDecoder: JSONDecoder = {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return decoder
}()

/// The job's arguments do not fit its handler: retrying cannot help, so the job is discarded.
struct UndecodableArguments: Error, CustomStringConvertible {
    var kind: String
    var reason: String
    var description: String { "arguments do not fit job kind \(kind): \(reason)" }
}

/// One-line descriptions of `DecodingError`s that name the offending field.
enum DecodingErrorDescription {
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let joined = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return joined.isEmpty ? "the arguments" : joined
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "\(parent == "the arguments" ? "" : parent + ".")\(key.stringValue) is missing"
        case .typeMismatch(let type, let context): return "\(path(context)) is not a valid \(type)"
        case .valueNotFound(let type, let context): return "\(path(context)) is null, expected \(type)"
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
