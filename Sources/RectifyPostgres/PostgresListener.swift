import CLibPQ
import Foundation
public import Logging
import Synchronization

/// A `NOTIFY` received on a channel the listener listens on.
public struct PostgresNotification: Sendable, Hashable {
    /// The channel it was sent on.
    public var channel: String
    /// The payload (may be empty).
    public var payload: String

    /// Creates a notification value.
    public init(channel: String, payload: String) {
        self.channel = channel
        self.payload = payload
    }
}

/// What a ``PostgresListener`` delivers.
public enum PostgresListenerEvent: Sendable, Hashable {
    /// A notification arrived.
    case notification(PostgresNotification)
    /// The connection broke and was re-established: notifications may have been missed, so
    /// consumers should look for work as if notified on every channel.
    case reconnected
}

/// `LISTEN`s on channels over a dedicated connection and delivers notifications as an
/// `AsyncSequence`, or to a handler on its own thread.
///
/// It waits on the connection's socket with `poll(2)` on a thread of its own, so idle waiting
/// costs no cooperative thread. A broken connection is re-established with backoff and a
/// ``PostgresListenerEvent/reconnected`` event is delivered.
public final class PostgresListener: Sendable {
    /// The notifications and reconnections, in order; finishes after ``stop()``. Empty when
    /// the listener was started with a handler.
    public let events: AsyncStream<PostgresListenerEvent>

    private let continuation: AsyncStream<PostgresListenerEvent>.Continuation
    private let deliver: @Sendable (PostgresListenerEvent) -> Void
    private let configuration: PostgresConfiguration
    private let channels: [String]
    private let logger: Logger
    private let stopped = Atomic<Bool>(false)
    /// Writing a byte to `wakeWrite` interrupts `poll(2)` at once when stopping.
    private let wakeRead: Int32
    private let wakeWrite: Int32

    /// Starts listening and returns once the first `LISTEN` is in place; events arrive in
    /// ``events``.
    ///
    /// - Throws: ``PostgresError`` `.connectionFailed` when the first connection fails.
    public static func start(
        configuration: PostgresConfiguration, channels: [String], logger: Logger = Logger(label: "rectify.postgres")
    ) async throws -> PostgresListener {
        try await start(configuration: configuration, channels: channels, logger: logger, handler: nil)
    }

    /// Starts listening and returns once the first `LISTEN` is in place; `handler` is called
    /// with each event, in order, on the listener's own thread.
    ///
    /// This saves the hop through a task that reading ``events`` costs for each notification.
    /// The handler must return quickly and never block: the next notification waits for it.
    ///
    /// - Throws: ``PostgresError`` `.connectionFailed` when the first connection fails.
    public static func start(
        configuration: PostgresConfiguration, channels: [String], logger: Logger = Logger(label: "rectify.postgres"),
        handler: @escaping @Sendable (PostgresListenerEvent) -> Void
    ) async throws -> PostgresListener {
        try await start(configuration: configuration, channels: channels, logger: logger, handler: .some(handler))
    }

    private static func start(
        configuration: PostgresConfiguration, channels: [String], logger: Logger,
        handler: (@Sendable (PostgresListenerEvent) -> Void)?
    ) async throws -> PostgresListener {
        let listener = PostgresListener(configuration: configuration, channels: channels, logger: logger, handler: handler)
        try await withCheckedThrowingContinuation { (ready: CheckedContinuation<Void, any Error>) in
            let thread = Thread { listener.run(ready: ready) }
            thread.name = "rectify-listener"
            thread.start()
        }
        return listener
    }

    private init(
        configuration: PostgresConfiguration, channels: [String], logger: Logger,
        handler: (@Sendable (PostgresListenerEvent) -> Void)?
    ) {
        let (events, continuation) = AsyncStream.makeStream(of: PostgresListenerEvent.self, bufferingPolicy: .bufferingNewest(1024))
        (self.events, self.continuation) = (events, continuation)
        deliver = handler ?? { continuation.yield($0) }
        self.configuration = configuration
        self.channels = channels
        self.logger = logger
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0, "pipe(2) failed")
        (wakeRead, wakeWrite) = (fds[0], fds[1])
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    /// Stops listening, closes the connection and finishes ``events``.
    public func stop() {
        guard !stopped.exchange(true, ordering: .sequentiallyConsistent) else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    // MARK: - The listener thread

    private func run(ready: CheckedContinuation<Void, any Error>) {
        var ready: CheckedContinuation<Void, any Error>? = ready
        var connection: OpaquePointer?
        var backoff = 0.05
        defer {
            if let connection { PQfinish(connection) }
            continuation.finish()
        }
        while !stopped.load(ordering: .relaxed) {
            guard let live = connection else {
                do {
                    let reached = try connectAndListen()
                    connection = reached
                    if let pending = ready {
                        pending.resume()
                        ready = nil
                    } else {
                        logger.info("listener reconnected", metadata: [LogMetadataKey.databaseServer: "\(reachedServer(reached))"])
                        deliver(.reconnected)
                    }
                    backoff = 0.05
                } catch {
                    if let pending = ready {
                        pending.resume(throwing: error)
                        return
                    }
                    logger.debug("listener cannot reconnect yet", metadata: [LogMetadataKey.error: "\(error)"])
                    if waitForWake(timeoutMilliseconds: Int32(backoff * 1000)) { return }
                    backoff = min(backoff * 2, 2)
                }
                continue
            }
            if waitForSocket(of: live) { return }
            guard PQconsumeInput(live) == 1 else {
                logger.info("listener lost its connection", metadata: [
                    LogMetadataKey.databaseServer: "\(reachedServer(live))",
                    LogMetadataKey.error: "\(String(cString: PQerrorMessage(live)).asOneLine)",
                ])
                PQfinish(live)
                connection = nil
                continue
            }
            while let notice = PQnotifies(live) {
                deliver(.notification(PostgresNotification(
                    channel: String(cString: notice.pointee.relname),
                    payload: String(cString: notice.pointee.extra))))
                PQfreemem(notice)
            }
        }
    }

    private func connectAndListen() throws -> OpaquePointer {
        var listenerConfiguration = configuration
        listenerConfiguration.applicationName += "-listener"
        let (keywords, values) = listenerConfiguration.connectionParameters
        let connection = withCStringArray(keywords) { keys in withCStringArray(values) { PQconnectdbParams(keys, $0, 1) } }
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let reason = connection.map { String(cString: PQerrorMessage($0)).asOneLine } ?? "out of memory"
            if let connection { PQfinish(connection) }
            throw PostgresError(
                code: .connectionFailed,
                message: "cannot connect to PostgreSQL at \(configuration.endpointDescription): \(reason)")
        }
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        let sql = channels.map { "LISTEN \(quoteIdentifier($0));" }.joined()
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK else {
            let reason = String(cString: PQerrorMessage(connection)).asOneLine
            PQfinish(connection)
            throw PostgresError(code: .connectionFailed, message: "LISTEN failed: \(reason)")
        }
        return connection
    }

    /// Waits until the socket is readable; returns true when asked to stop.
    private func waitForSocket(of connection: OpaquePointer) -> Bool {
        var fds = [
            pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
        ]
        _ = poll(&fds, 2, -1)
        return fds[1].revents != 0 || stopped.load(ordering: .relaxed)
    }

    /// Sleeps for a reconnect backoff; returns true when asked to stop.
    private func waitForWake(timeoutMilliseconds: Int32) -> Bool {
        var fd = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
        _ = poll(&fd, 1, timeoutMilliseconds)
        return fd.revents != 0 || stopped.load(ordering: .relaxed)
    }
}
