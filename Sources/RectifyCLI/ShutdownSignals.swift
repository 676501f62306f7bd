import Foundation
import Synchronization

/// SIGTERM and SIGINT, handed to the running command on a thread of its own.
///
/// A plain signal handler writes the signal's number to a pipe; a thread reads the pipe and
/// calls the command's callback. swift-service-lifecycle's signal handling is not used: on
/// Linux it is a Dispatch signal source, which reads a `signalfd` and so sees only signals
/// that the receiving thread blocks. Every thread blocks SIGTERM but the main thread, which
/// Swift's asynchronous `main` leaves waiting with no signal blocked, so each signal arrives
/// there and Dispatch's handler passes it on to its manager thread. Twice in 29 runs of
/// `rectify serve` under load the first SIGTERM went nowhere: the process kept serving, its
/// threads all idle, until a second signal came. Here any thread may take the signal.
enum ShutdownSignals {
    /// The signals that ask a service command to shut down gracefully.
    static let handled: [Int32] = [SIGTERM, SIGINT]

    /// Calls `onSignal` with the signal's name (`SIGTERM`) for each SIGTERM or SIGINT while
    /// `body` runs. Before and after, the signals end the process as they do by default.
    static func whileRunning<Value>(
        onSignal: @escaping @Sendable (String) -> Void, _ body: () async throws -> Value
    ) async rethrows -> Value {
        receiver.withLock { $0 = onSignal }
        installOnce
        defer { receiver.withLock { $0 = nil } }
        return try await body()
    }

    private static let receiver = Mutex<(@Sendable (String) -> Void)?>(nil)

    /// Opens the pipe, installs the handler and starts the reading thread, once per process.
    private static let installOnce: Void = {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { fatalError("cannot open the signal pipe: \(String(cString: strerror(errno)))") }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        signalPipeWriteEnd = ends[1]
        let readEnd = ends[0]
        let thread = Thread {
            var signal: UInt8 = 0
            while true {
                let count = read(readEnd, &signal, 1)
                if count < 0, errno == EINTR { continue }
                guard count == 1 else { return }
                deliver(Int32(signal))
            }
        }
        thread.name = "rectify-signals"
        thread.start()
        for signal in handled {
            _ = Foundation.signal(signal) { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(signalPipeWriteEnd, &byte, 1)
            }
        }
    }()

    /// Hands a signal to the running command, or, when none runs, ends the process as the
    /// signal does by default.
    private static func deliver(_ signal: Int32) {
        if let onSignal = receiver.withLock({ $0 }) {
            onSignal(signal == SIGTERM ? "SIGTERM" : signal == SIGINT ? "SIGINT" : "signal \(signal)")
        } else {
            _ = Foundation.signal(signal, SIG_DFL)
            kill(getpid(), signal)
        }
    }
}

/// The pipe's write end, read by the signal handler; set once, before the handler is installed.
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1
