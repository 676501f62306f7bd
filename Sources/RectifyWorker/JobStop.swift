import RectifyPostgres
import Synchronization

/// Why a running handler is being stopped before it returned.
enum StopReason: Sendable, Equatable {
    /// A heartbeat found the job no longer held at this attempt (rescued, or finished elsewhere).
    case leaseLost
    /// An operator discarded the job while it ran.
    case discarded
    /// The attempt ran longer than its timeout.
    case timedOut(Duration)
}

/// The stop request of one running job: set at most once, awaited by the job's executor.
final class JobStop: Sendable {
    private struct State {
        var reason: StopReason?
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// The reason, once stopped.
    var reason: StopReason? { state.withLock { $0.reason } }

    /// Asks the job to stop; the first reason wins.
    func stop(_ reason: StopReason) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.reason == nil else { return nil }
            state.reason = reason
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Returns the reason when the job is stopped or `timeout` passes (``StopReason/timedOut(_:)``,
    /// recorded as the reason), or `nil` when the calling task is cancelled first.
    func wait(timeout: Duration?) async -> StopReason? {
        await withTaskGroup(of: StopReason?.self) { group in
            group.addTask { await self.waitForStop() }
            if let timeout {
                group.addTask {
                    // Armed for every job and cancelled when it ends: see CancellableSleep.
                    guard (try? await CancellableSleep.sleep(for: timeout)) != nil else { return nil }
                    self.stop(.timedOut(timeout))
                    return self.reason
                }
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    private func waitForStop() async -> StopReason? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.reason != nil || Task.isCancelled { return true }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { state in defer { state.waiter = nil }; return state.waiter }?.resume()
        }
        return Task.isCancelled ? nil : reason
    }
}
