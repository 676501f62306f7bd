import Foundation

/// Runs blocking work (waiting for a child process, `PQcancel`) on a new thread of our own,
/// so that it never occupies a thread of Swift's cooperative pool.
public enum OwnThread {
    /// Runs `body` on a fresh thread and returns its result.
    public static func run<Value: Sendable>(
        name: String, _ body: @escaping @Sendable () throws -> Value
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.name = name
            thread.start()
        }
    }

    /// Runs `body` on a fresh thread without waiting for it.
    public static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.start()
    }
}
