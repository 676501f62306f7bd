public import Logging
import Synchronization

/// Settings of a ``PostgresPool``.
public struct PostgresPoolConfiguration: Sendable {
    /// The most connections open at once; default 10. Borrowers beyond that wait in line.
    public var maxConnections: Int = 10
    /// An idle connection older than this is checked with an empty round trip before it is
    /// handed out, so that connections broken by a server restart are replaced; default 2 s.
    /// Once a borrowed connection is found broken, every connection idle since before then is
    /// checked too, however briefly it has been idle.
    public var healthCheckAfterIdle: Duration = .seconds(2)
    /// How long a borrower waits for a connection when all are in use before it fails with
    /// ``PostgresError/Code/poolExhausted``; default 60 s. A pool that stays exhausted that
    /// long is undersized or leaking, which an error says and a hang does not.
    public var acquireTimeout: Duration = .seconds(60)

    /// Creates the default settings.
    public init() {}
}

/// A bounded pool of ``PostgresConnection``s that heals itself.
///
/// Connections that broke (server restart, network failure) are discarded when they come back
/// and replaced on demand; idle ones are checked before reuse. No background task is needed.
public final class PostgresPool: Sendable {
    /// The server this pool connects to.
    public let configuration: PostgresConfiguration
    /// The pool's limits.
    public let poolConfiguration: PostgresPoolConfiguration
    private let logger: Logger
    private let state = Mutex(State())

    private struct IdleConnection {
        var connection: PostgresConnection
        var since: ContinuousClock.Instant
    }

    private enum Handoff {
        case connection(PostgresConnection)
        case openSlot
    }

    private struct Waiter {
        var id: Int
        var continuation: CheckedContinuation<Handoff, any Error>
    }

    private struct State {
        var idle: [IdleConnection] = []
        var open = 0
        var waiters: [Waiter] = []
        var nextWaiterID = 0
        var closed = false
        /// When a returned connection was last found broken: connections idle since before then
        /// are checked before reuse.
        var brokenSeenAt: ContinuousClock.Instant?
    }

    private enum Acquisition {
        case reuse(IdleConnection, suspect: Bool)
        case open
        case wait
    }

    /// Creates a pool; connections open lazily on first use.
    public init(
        configuration: PostgresConfiguration, poolConfiguration: PostgresPoolConfiguration = .init(),
        logger: Logger = Logger(label: "rectify.postgres")
    ) {
        self.configuration = configuration
        self.poolConfiguration = poolConfiguration
        self.logger = logger
    }

    /// Creates a pool, runs `body` with it, and closes it however `body` ends.
    @discardableResult
    public static func withPool<Value: Sendable>(
        configuration: PostgresConfiguration, poolConfiguration: PostgresPoolConfiguration = .init(), logger: Logger,
        _ body: (PostgresPool) async throws -> Value
    ) async throws -> Value {
        let pool = PostgresPool(configuration: configuration, poolConfiguration: poolConfiguration, logger: logger)
        do {
            let value = try await body(pool)
            await pool.close()
            return value
        } catch {
            await pool.close()
            throw error
        }
    }

    /// Borrows a connection for the duration of `body`.
    ///
    /// - Throws: ``PostgresError`` `.connectionFailed` when a new connection cannot be opened,
    ///   `.poolExhausted` when none came free within the acquire timeout, `.poolClosed` after
    ///   ``close()``, or whatever `body` throws.
    @discardableResult
    public func withConnection<Value: Sendable>(
        _ body: (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        let connection = try await acquire()
        do {
            let value = try await body(connection)
            await release(connection)
            return value
        } catch {
            await release(connection)
            throw error
        }
    }

    /// Runs one statement on a borrowed connection.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresResult {
        try await withConnection { try await $0.query(query) }
    }

    /// Runs `body` in a transaction on a borrowed connection; see ``PostgresConnection/transaction(isolation:_:)``.
    @discardableResult
    public func transaction<Value: Sendable>(
        isolation: TransactionIsolation? = nil, _ body: @Sendable (isolated PostgresConnection) async throws -> Value
    ) async throws -> Value {
        try await withConnection { try await $0.transaction(isolation: isolation, body) }
    }

    /// Closes idle connections and refuses new borrowers; borrowed ones close when returned.
    public func close() async {
        let (idle, waiters) = state.withLock { state in
            state.closed = true
            defer {
                state.open -= state.idle.count
                state.idle = []
                state.waiters = []
            }
            return (state.idle, state.waiters)
        }
        for waiter in waiters { waiter.continuation.resume(throwing: Self.closedError) }
        for entry in idle { await entry.connection.close() }
    }

    /// The number of connections open now (idle and borrowed).
    public var openConnections: Int { state.withLock { $0.open } }

    private static let closedError = PostgresError(code: .poolClosed, message: "the connection pool is closed")

    private func acquire() async throws -> PostgresConnection {
        while true {
            let acquisition = try state.withLock { state throws -> Acquisition in
                if state.closed { throw Self.closedError }
                if let entry = state.idle.popLast() {
                    return .reuse(entry, suspect: state.brokenSeenAt.map { entry.since < $0 } ?? false)
                }
                if state.open < poolConfiguration.maxConnections {
                    state.open += 1
                    return .open
                }
                return .wait
            }
            switch acquisition {
            case .reuse(let entry, let suspect):
                if let connection = await healthy(entry, suspect: suspect) { return connection }
                state.withLock { $0.open -= 1 }
            case .open:
                return try await openReservedSlot()
            case .wait:
                switch try await waitForHandoff() {
                case .connection(let connection): return connection
                case .openSlot: return try await openReservedSlot()
                }
            }
        }
    }

    private func healthy(_ entry: IdleConnection, suspect: Bool) async -> PostgresConnection? {
        guard suspect || entry.since.duration(to: .now) >= poolConfiguration.healthCheckAfterIdle else { return entry.connection }
        if await entry.connection.ping() { return entry.connection }
        logger.debug("discarding a broken idle connection", metadata: [LogMetadataKey.connectionID: "\(entry.connection.id)"])
        await entry.connection.close()
        return nil
    }

    private func openReservedSlot() async throws -> PostgresConnection {
        do {
            return try await PostgresConnection.connect(configuration, logger: logger)
        } catch {
            freeSlot()
            throw error
        }
    }

    /// Gives a slot back: to a waiter, who opens its own connection, or to the pool.
    private func freeSlot() {
        let waiter = state.withLock { state -> Waiter? in
            if !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.open -= 1
            return nil
        }
        waiter?.continuation.resume(returning: .openSlot)
    }

    private func waitForHandoff() async throws -> Handoff {
        let id = state.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        let timeout = poolConfiguration.acquireTimeout
        return try await withThrowingTaskGroup(of: Handoff?.self) { group in
            group.addTask { try await self.waitInLine(id: id) }
            group.addTask {
                // Gives up on the waiter after the timeout; a handoff that won the race is kept.
                // Armed for every waiter and cancelled when it is served: see CancellableSleep.
                try? await CancellableSleep.sleep(for: timeout)
                guard !Task.isCancelled else { return nil }
                self.removeWaiter(id: id)?.continuation.resume(throwing: PostgresError(
                    code: .poolExhausted,
                    message: "waited \(timeout) for a database connection: all \(self.poolConfiguration.maxConnections) of the pool's connections are in use"))
                return nil
            }
            while let next = try await group.next() {
                if let handoff = next {
                    group.cancelAll()
                    return handoff
                }
            }
            throw CancellationError()
        }
    }

    private func waitInLine(id: Int) async throws -> Handoff {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let accepted = state.withLock { state in
                    guard !state.closed, !Task.isCancelled else { return false }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return true
                }
                if !accepted {
                    continuation.resume(throwing: Task.isCancelled ? CancellationError() : Self.closedError)
                }
            }
        } onCancel: {
            removeWaiter(id: id)?.continuation.resume(throwing: CancellationError())
        }
    }

    private func removeWaiter(id: Int) -> Waiter? {
        state.withLock { state -> Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
    }

    private func release(_ connection: PostgresConnection) async {
        guard connection.isReusable else {
            if connection.hasLostItsServer { state.withLock { $0.brokenSeenAt = .now } }
            await connection.close()
            freeSlot()
            return
        }
        enum Return { case handedOff(Waiter), pooled, closeIt }
        let outcome = state.withLock { state -> Return in
            if state.closed {
                state.open -= 1
                return .closeIt
            }
            if !state.waiters.isEmpty { return .handedOff(state.waiters.removeFirst()) }
            state.idle.append(IdleConnection(connection: connection, since: .now))
            return .pooled
        }
        switch outcome {
        case .handedOff(let waiter): waiter.continuation.resume(returning: .connection(connection))
        case .pooled: break
        case .closeIt: await connection.close()
        }
    }
}

extension PostgresConnection {
    /// One empty round trip: true when the server answered.
    public func ping() -> Bool {
        (try? run(sql: "")) != nil
    }
}
