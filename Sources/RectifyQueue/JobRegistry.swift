public import RectifyPostgres

/// The handlers a worker can run, by job kind, with typed `Decodable` arguments. A worker
/// (RectifyWorker's `Worker`) claims only jobs of the kinds registered here. It lives with the
/// queue, so that a module that defines jobs needs the queue only, not the worker runtime.
///
/// Registered from ``JobDefinition``s, which also carry the kind's timeout and retry policy:
///
/// ```swift
/// var registry = JobRegistry()
/// registry.register(BuiltinJobs.noopDefinition) { args, context in … }
/// registry.register(sendReceipt) { args, connection, context in
///     // writes here commit together with the job's completion, or not at all
/// }
/// ```
///
/// A kind can also be registered by name alone (`register("noop", args: NoopArgs.self) …`),
/// which is a definition with the defaults.
///
/// A handler is cancelled when its attempt times out, its lease is lost or an operator discards
/// its job. Its cancellation handlers (`withTaskCancellationHandler`) then run on the worker's
/// thread that stopped it, which waits for them: keep them short and non-blocking.
public struct JobRegistry: Sendable {
    package enum Body: Sendable {
        /// Completed in batches after the handler returns; effects outside the database.
        case plain(@Sendable (String, JobContext) async throws -> Void)
        /// Runs inside a transaction, at the isolation level given, that also completes the job.
        case transactional(
            @Sendable (String, isolated PostgresConnection, JobContext) async throws -> Void, TransactionIsolation?)
    }

    private struct Entry: Sendable {
        var body: Body
        var timeout: Duration?
        var retry: RetryPolicy?
    }

    private var entries: [String: Entry] = [:]

    /// The registered kinds, sorted: the kinds a worker with this registry claims.
    public private(set) var kinds: [String] = []

    /// Creates an empty registry.
    public init() {}

    /// Registers the handler of a defined kind whose effects are outside the database (or
    /// idempotent).
    ///
    /// The job is completed after the handler returns, batched with others; if the worker dies
    /// in between, the job runs again.
    ///
    /// - Precondition: the kind is not registered yet.
    public mutating func register<Args>(
        _ definition: JobDefinition<Args>, run: @escaping @Sendable (Args, JobContext) async throws -> Void
    ) {
        add(definition, .plain { json, context in try await run(try Self.decode(definition, json), context) })
    }

    /// Registers the handler of a defined kind that writes to the database: its writes and the
    /// job's completion commit in one transaction, so they happen exactly once or not at all.
    ///
    /// The transaction begins at `isolation` and locks the job's row before `run` is called,
    /// so a handler that needs one snapshot asks for `.repeatableRead` here (a
    /// `SET TRANSACTION` inside the handler would come too late).
    ///
    /// - Parameter isolation: the transaction's isolation level; `nil` for read committed.
    /// - Precondition: the kind is not registered yet.
    public mutating func register<Args>(
        _ definition: JobDefinition<Args>, isolation: TransactionIsolation? = nil,
        inTransaction run: @escaping @Sendable (Args, isolated PostgresConnection, JobContext) async throws -> Void
    ) {
        add(definition, .transactional({ json, connection, context in
            try await run(try Self.decode(definition, json), connection, context)
        }, isolation))
    }

    /// Registers a plain handler by kind name: a ``JobDefinition`` with the defaults and `timeout`.
    public mutating func register<Args: Codable & Sendable>(
        _ kind: String, args: Args.Type, timeout: Duration? = nil,
        run: @escaping @Sendable (Args, JobContext) async throws -> Void
    ) {
        register(JobDefinition(kind: kind, args: args, timeout: timeout), run: run)
    }

    /// Registers a transactional handler by kind name: a ``JobDefinition`` with the defaults and `timeout`.
    public mutating func register<Args: Codable & Sendable>(
        _ kind: String, args: Args.Type, isolation: TransactionIsolation? = nil, timeout: Duration? = nil,
        inTransaction run: @escaping @Sendable (Args, isolated PostgresConnection, JobContext) async throws -> Void
    ) {
        register(JobDefinition(kind: kind, args: args, timeout: timeout), isolation: isolation, inTransaction: run)
    }

    private mutating func add<Args>(_ definition: JobDefinition<Args>, _ body: Body) {
        precondition(entries[definition.kind] == nil, "job kind \(definition.kind) registered twice")
        entries[definition.kind] = Entry(body: body, timeout: definition.timeout, retry: definition.retry)
        kinds = entries.keys.sorted()
    }

    package func body(for kind: String) -> Body? { entries[kind]?.body }

    /// The timeout registered with a kind, if any.
    package func timeout(for kind: String) -> Duration? { entries[kind]?.timeout }

    /// The retry policy registered with a kind, if any.
    package func retry(for kind: String) -> RetryPolicy? { entries[kind]?.retry }

    /// Every kind registered with a retry policy of its own, with that policy.
    package var retryPolicies: [String: RetryPolicy] { entries.compactMapValues(\.retry) }

    private static func decode<Args>(_ definition: JobDefinition<Args>, _ json: String) throws -> Args {
        do {
            return try definition.decode(argsJSON: json)
        } catch {
            throw UndecodableArguments(kind: definition.kind, reason: DecodingErrorDescription.describe(error))
        }
    }
}

/// The job's arguments do not fit its handler: retrying cannot help, so the job is discarded.
package struct UndecodableArguments: Error, CustomStringConvertible {
    package var kind: String
    package var reason: String
    package var description: String { "arguments do not fit job kind \(kind): \(reason)" }
}

/// One-line descriptions of `DecodingError`s that name the offending field as the JSON spells
/// it (arguments decode from snake_case keys: `sleepMs` is `sleep_ms` in the job's arguments).
package enum DecodingErrorDescription {
    package static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let joined = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? snakeCased($0.stringValue) }.joined(separator: ".")
            return joined.isEmpty ? "the arguments" : joined
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "\(parent == "the arguments" ? "" : parent + ".")\(snakeCased(key.stringValue)) is missing"
        case .typeMismatch(let type, let context): return "\(path(context)) is not a valid \(type)"
        case .valueNotFound(let type, let context): return "\(path(context)) is null, expected \(type)"
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    /// A property's name as the arguments spell it, split as `JSONEncoder`'s snake case splits
    /// it: `sleepMs` → `sleep_ms`, `jobID` → `job_id`, `sourceURLText` → `source_url_text`. A key
    /// that is not such a name (already snake_case, or a dictionary's key) is left as it is.
    private static func snakeCased(_ key: String) -> String {
        let characters = Array(key)
        guard let first = characters.first, first.isLowercase, characters.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            return key
        }
        var result = ""
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0 {
                let previous = characters[index - 1]
                let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
                if !previous.isUppercase || nextIsLower { result += "_" }
            }
            result += character.lowercased()
        }
        return result
    }
}
