import Synchronization

/// Runs `body` in a task of its own and reports whether it returned within `limit`.
///
/// A liveness check for code that must stop when cancelled or shut down: unlike a task group,
/// it does not wait for a body that never returns (the bug it looks for), it gives up on it.
/// The body is cancelled when the limit passes.
public func returns(
    within limit: Duration, _ body: @escaping @Sendable () async throws -> Void
) async -> Bool {
    let finished = Atomic<Bool>(false)
    let task = Task {
        try? await body()
        finished.store(true, ordering: .sequentiallyConsistent)
    }
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if finished.load(ordering: .sequentiallyConsistent) { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    task.cancel()
    return finished.load(ordering: .sequentiallyConsistent)
}
