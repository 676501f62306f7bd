import Dispatch
import Synchronization

/// Wakes every task waiting on it, or the next one to wait if none waits now.
///
/// Used to wake a queue's producer when a `NOTIFY` arrives or a slot frees, and, closed, the
/// background loops when the worker stops.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var closed = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())
    private static let timers = DispatchQueue(label: "rectify.worker.wake-timers")

    /// Wakes all waiters, or lets the next ``wait(timeout:)`` return at once.
    func signal() {
        wakeAll { state in
            if state.waiters.isEmpty { state.pending = true }
        }
    }

    /// Wakes all waiters, and every later ``wait(timeout:)`` returns at once: for a signal that
    /// means "stop", which a task that was not waiting when it came must not sleep through.
    func close() {
        wakeAll { $0.closed = true }
    }

    /// Applies `mark` and takes every waiter under the lock, then resumes them outside it.
    private func wakeAll(marking mark: (inout State) -> Void) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            mark(&state)
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns when signalled or closed, when `timeout` passes, or when the task is cancelled.
    ///
    /// The waiter is one continuation, timed by a dispatch timer that is cancelled when it
    /// returns: a signal resumes it in one hop (no child tasks to start and collect), and an
    /// early return leaves no timer queued until the timeout.
    func wait(timeout: Duration) async {
        let id: Int? = state.withLock { state in
            if state.pending || state.closed {
                state.pending = false
                return nil
            }
            defer { state.nextID += 1 }
            return state.nextID
        }
        guard let id else { return }
        let timer = DispatchSource.makeTimerSource(queue: Self.timers)
        timer.setEventHandler { [self] in resume(waiter: id) }
        timer.schedule(deadline: .now() + .nanoseconds(Int(clamping: timeout.nanoseconds)))
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending || state.closed || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiters[id] = continuation
                    return false
                }
                timer.activate()
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            resume(waiter: id)
        }
        timer.cancel()
    }

    private func resume(waiter id: Int) {
        state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating at the bounds of `Int64`.
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return whole.addingReportingOverflow(attoseconds / 1_000_000_000).overflow ? .max : whole + attoseconds / 1_000_000_000
    }
}
