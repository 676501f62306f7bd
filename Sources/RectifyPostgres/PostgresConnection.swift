import CLibPQ
import Dispatch
import Foundation
public import Logging
import Synchronization

/// One connection to PostgreSQL through libpq.
///
/// The actor's executor is a private serial dispatch queue, so every blocking libpq call runs on
/// a thread the connection owns and never on Swift's cooperative pool. Statements with
/// parameters are prepared once per connection and reused.
///
/// A connection serves one borrower at a time; share connections through ``PostgresPool``.
public actor PostgresConnection {
    /// A process-unique number for logs (`db.connection.id`).
    public nonisolated let id: Int
    /// `host:port/database` of the server, for messages: every host of a multi-host URL.
    public nonisolated let endpoint: String
    /// `host:port/database` of the server this connection reached (with a multi-host URL, one
    /// of the ``endpoint``'s hosts); the ``endpoint`` until it connects.
    public private(set) var server: String

    private let executor: DispatchQueueExecutor
    private let configuration: PostgresConfiguration
    private let logger: Logger
    private var connectionHandle: ConnectionHandle?
    private var handle: OpaquePointer? { connectionHandle?.pointer }
    private var canceller: QueryCanceller?
    private var preparedStatements: [String: String] = [:]
    /// ``isReusable`` as of the last exchange with the server, so that the pool can read it
    /// without a hop to the connection's thread.
    private let idle = Atomic<Bool>(false)
    /// ``hasLostItsServer``, read the same way.
    private let lost = Atomic<Bool>(false)

    /// Statements with parameters beyond this many distinct SQL texts run unprepared.
    private static let preparedStatementLimit = 256
    private static let nextID = Atomic<Int>(1)

    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    /// A task executor on the connection's own thread. A task that holds the connection for a
    /// loop of statements and prefers this executor (`withTaskExecutorPreference`) runs its code
    /// there: each statement then costs no hop to the connection's thread and back. Its child
    /// tasks inherit the preference unless they name another executor.
    public nonisolated var taskExecutor: any TaskExecutor { executor.taskExecutor }

    private init(configuration: PostgresConfiguration, logger: Logger) {
        let id = Self.nextID.add(1, ordering: .relaxed).oldValue
        self.id = id
        self.endpoint = configuration.endpointDescription
        self.server = endpoint
        self.configuration = configuration
        self.executor = DispatchQueueExecutor(label: "rectify.postgres.connection.\(id)")
        var logger = logger
        logger[metadataKey: LogMetadataKey.connectionID] = "\(id)"
        self.logger = logger
    }

    /// Opens a connection.
    ///
    /// - Throws: ``PostgresError`` with code `.connectionFailed` naming host, port and database
    ///   (never the password) when the server cannot be reached or refuses the login.
    public static func connect(
        _ configuration: PostgresConfiguration, logger: Logger = Logger(label: "rectify.postgres")
    ) async throws -> PostgresConnection {
        try configuration.validate()
        let connection = PostgresConnection(configuration: configuration, logger: logger)
        try await connection.open()
        return connection
    }

    private func open() throws {
        let (keywords, values) = configuration.connectionParameters
        let connection = withCStringArray(keywords) { keywordPointers in
            withCStringArray(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let connection else {
            throw PostgresError(code: .connectionFailed, message: "cannot allocate a libpq connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let reason = String(cString: PQerrorMessage(connection)).asOneLine
            PQfinish(connection)
            throw PostgresError(
                code: .connectionFailed,
                message: "cannot connect to PostgreSQL at \(endpoint): \(reason)")
        }
        // Notices ("relation already exists, skipping") would go to stderr by default.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        connectionHandle = ConnectionHandle(connection)
        canceller = QueryCanceller(connection: connection)
        server = reachedServer(connection)
        _ = try run(sql: "SET datestyle TO ISO, YMD; SET timezone TO 'UTC'; SET client_min_messages TO warning")
        logger.debug("connected", metadata: [LogMetadataKey.databaseEndpoint: "\(endpoint)", LogMetadataKey.databaseServer: "\(server)"])
    }

    /// Closes the connection. Later statements fail with `.connectionLost`.
    public func close() {
        guard connectionHandle != nil else { return }
        connectionHandle = nil
        canceller = nil
        noteIdleState()
        logger.debug("closed")
    }

    /// True when the connection is open and not inside a transaction: safe to hand to the next
    /// borrower. Read without waiting for the connection's thread; it holds the state after the
    /// last statement, which is all a borrower that has returned the connection can change.
    public nonisolated var isReusable: Bool { idle.load(ordering: .acquiring) }

    /// True once an exchange found the connection broken: the server closed it, restarted or
    /// stopped answering. Other connections to the same server, idle meanwhile, may be broken
    /// too (``PostgresPool`` checks them before handing them out).
    public nonisolated var hasLostItsServer: Bool { lost.load(ordering: .acquiring) }

    /// Records ``isReusable`` and ``hasLostItsServer`` after an exchange with the server.
    func noteIdleState() {
        let status = handle.map(PQstatus)
        idle.store(status == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE, ordering: .releasing)
        if status == CONNECTION_BAD { lost.store(true, ordering: .releasing) }
    }

    /// True inside `BEGIN … COMMIT`.
    public var isInTransaction: Bool {
        guard let handle else { return false }
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    /// Runs one statement with its bound parameters and returns its rows.
    ///
    /// Cancelling the calling task sends a cancel request to the server (`PQcancel`).
    ///
    /// - Throws: ``PostgresError``: `.server` with the SQLSTATE when the server rejects the
    ///   statement, `.connectionLost` when the connection broke or was closed before the
    ///   statement because an earlier cancel request could not be delivered, `.cancelled` when
    ///   cancelled.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresResult {
        if Task.isCancelled { throw PostgresError(code: .cancelled, message: "the statement was cancelled") }
        let canceller = self.canceller
        return try await withTaskCancellationHandler {
            try run(query)
        } onCancel: {
            canceller?.cancel()
        }
    }

    /// Runs SQL text that may hold several statements and no parameters (migrations, `SET`).
    public func execute(script: String) async throws {
        _ = try run(sql: script)
    }

    // MARK: - Running statements on the connection's own thread

    /// The open connection, ready for a statement: a cancel request sent for an earlier
    /// statement has reached the server first (``QueryCanceller/waitUntilDelivered(within:)``).
    /// A request still undelivered after ``cancelDeliveryLimitSeconds`` could cancel any later
    /// statement, so the connection is closed then.
    func liveHandle() throws -> OpaquePointer {
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            throw PostgresError(code: .connectionLost, message: "the connection to \(server) is closed")
        }
        if let canceller, !canceller.waitUntilDelivered(within: .seconds(Self.cancelDeliveryLimitSeconds)) {
            close()
            throw PostgresError(
                code: .connectionLost,
                message: "closed the connection to \(server): a cancel request sent for an earlier statement "
                    + "was not delivered within \(Self.cancelDeliveryLimitSeconds) s")
        }
        return handle
    }

    /// How long a statement waits for the cancel requests sent before it to be delivered.
    static let cancelDeliveryLimitSeconds = 5

    private func run(_ query: PostgresQuery) throws -> PostgresResult {
        let connection = try liveHandle()
        guard !query.binds.isEmpty else { return try run(sql: query.sql) }
        let values = query.binds.map(\.postgresText)
        let types = query.bindTypes.map(\.rawValue)
        let statementName = try preparedName(for: query, on: connection)
        let result = withOptionalCStringArray(values) { valuePointers in
            if let statementName {
                return PQexecPrepared(connection, statementName, Int32(values.count), valuePointers, nil, nil, 0)
            }
            return PQexecParams(connection, query.sql, Int32(values.count), types, valuePointers, nil, nil, 0)
        }
        return try check(result, statement: query.sql)
    }

    func run(sql: String) throws -> PostgresResult {
        let connection = try liveHandle()
        return try check(PQexec(connection, sql), statement: sql)
    }

    func preparedName(for query: PostgresQuery, on connection: OpaquePointer) throws -> String? {
        if let name = preparedStatements[query.sql] { return name }
        guard preparedStatements.count < Self.preparedStatementLimit else { return nil }
        let name = "rectify_\(preparedStatements.count + 1)"
        let types = query.bindTypes.map(\.rawValue)
        _ = try check(PQprepare(connection, name, query.sql, Int32(types.count), types), statement: query.sql)
        preparedStatements[query.sql] = name
        return name
    }

    /// Turns a libpq result into rows or a ``PostgresError``; frees failed results.
    func check(_ result: OpaquePointer?, statement: String) throws -> PostgresResult {
        defer { noteIdleState() }
        guard let result else {
            throw connectionError(statement: statement)
        }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY, PGRES_COPY_IN:
            return PostgresResult(taking: result)
        default:
            let error = serverError(result, statement: statement)
            PQclear(result)
            throw error
        }
    }

    private func connectionError(statement: String) -> PostgresError {
        let reason = handle.map { String(cString: PQerrorMessage($0)).asOneLine } ?? "closed"
        return PostgresError(
            code: .connectionLost, message: "lost the connection to \(server): \(reason)", statement: statement)
    }

    func serverError(_ result: OpaquePointer, statement: String) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        guard let state = field("C") else {
            // No SQLSTATE: libpq itself failed, almost always because the connection broke.
            return connectionError(statement: statement)
        }
        let sqlState = SQLState(rawValue: state)
        let lost = handle.map { PQstatus($0) == CONNECTION_BAD } ?? true
        let cancelled = sqlState == .queryCanceled && Task.isCancelled
        return PostgresError(
            code: cancelled ? .cancelled : (lost ? .connectionLost : .server),
            message: field("M") ?? "statement failed",
            sqlState: sqlState,
            detail: field("D"),
            hint: field("H"),
            constraint: field("n"),
            table: field("t"),
            column: field("c"),
            statement: statement)
    }
}

/// Owns one libpq `PGconn` and finishes it when released.
final class ConnectionHandle {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { PQfinish(pointer) }
}

@available(*, unavailable)
extension ConnectionHandle: Sendable {}

/// Sends `PQcancel` for a connection from a background thread.
///
/// A cancel request names the connection, not the statement: one that reaches the server after
/// its statement ended cancels whatever the connection runs next. The connection therefore
/// waits, before its next statement, until every request it sent has been delivered, and
/// closes itself if that takes longer than five seconds. The server ignores a cancel that
/// arrives while the connection is idle.
///
/// `@unchecked Sendable`: libpq documents `PQcancel` with a `PGcancel` as safe to call from any
/// thread; the `PGcancel` is freed only in `deinit`, after every pending cancel has run.
final class QueryCanceller: @unchecked Sendable {
    private let cancelHandle: OpaquePointer
    private let pending = DispatchGroup()

    init?(connection: OpaquePointer) {
        guard let cancelHandle = PQgetCancel(connection) else { return nil }
        self.cancelHandle = cancelHandle
    }

    deinit { PQfreeCancel(cancelHandle) }

    /// Asks the server to cancel the running statement. `PQcancel` blocks, so it runs off the caller.
    func cancel() {
        pending.enter()
        OwnThread.start(name: "rectify-pqcancel") {
            var buffer = [CChar](repeating: 0, count: 256)
            _ = PQcancel(self.cancelHandle, &buffer, Int32(buffer.count))
            self.pending.leave()
        }
    }

    /// Blocks until every cancel request sent so far has been delivered (`PQcancel` returns once
    /// the server has signalled the connection's backend), or `limit` has passed; false then.
    /// Called on the connection's own thread.
    func waitUntilDelivered(within limit: DispatchTimeInterval) -> Bool {
        pending.wait(timeout: .now() + limit) == .success
    }
}

extension PostgresConnection {
    /// Creates database `name` unless it exists, optionally copying `template`.
    public func createDatabaseIfMissing(_ name: String, template: String? = nil) async throws {
        let exists = try await query("SELECT 1 FROM pg_database WHERE datname = \(name)").rowCount > 0
        guard !exists else { return }
        let templateClause = template.map { " TEMPLATE \(quoteIdentifier($0))" } ?? ""
        do {
            try await execute(script: "CREATE DATABASE \(quoteIdentifier(name))\(templateClause)")
        } catch SQLState.duplicateDatabase {
            // Created concurrently by another process: that is what was wanted.
        }
    }

    /// Drops database `name` if it exists, disconnecting its sessions.
    public func dropDatabaseIfExists(_ name: String) async throws {
        try await execute(script: "DROP DATABASE IF EXISTS \(quoteIdentifier(name)) WITH (FORCE)")
    }
}

/// `host:port/database` of the server an open libpq connection reached.
func reachedServer(_ connection: OpaquePointer) -> String {
    func text(_ value: UnsafeMutablePointer<CChar>?) -> String { value.map { String(cString: $0) } ?? "" }
    return "\(text(PQhost(connection))):\(text(PQport(connection)))/\(text(PQdb(connection)))"
}

/// Calls `body` with a C array of C strings that stay valid for the call.
func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    withOptionalCStringArray(strings.map(Optional.some), body)
}

/// Like ``withCStringArray(_:_:)`` with `nil` entries passed as null pointers (SQL `NULL`).
/// The array is followed by one more null pointer, as `PQconnectdbParams` requires.
func withOptionalCStringArray<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { $0.flatMap { strdup($0) } }
    defer { pointers.forEach { free($0) } }
    return (pointers.map { UnsafePointer($0) } + [nil]).withUnsafeBufferPointer { body($0.baseAddress!) }
}
