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

/// The stop request of one running job: set at most once. While the handler runs, its executor
/// arms the request with what stopping does (cancel the task running the handler).
final class JobStop: Sendable {
    private struct State {
        var reason: StopReason?
        var action: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())
    /// Set with the reason, readable without the lock: ``RunningJobs`` reads it under its own
    /// lock, which must never wait for this one while an action runs.
    private let stopped = Atomic<Bool>(false)

    /// True once stopped, for any reason.
    var isStopped: Bool { stopped.load(ordering: .acquiring) }

    /// Asks the job to stop; the first reason wins and runs the armed action. The action runs
    /// under the request's lock, so ``disarm()`` does not return while it runs: the task it
    /// cancels is still running then. It must not call back into this request.
    func stop(_ reason: StopReason) {
        state.withLock { state in
            guard state.reason == nil else { return }
            state.reason = reason
            stopped.store(true, ordering: .releasing)
            state.action?()
            state.action = nil
        }
    }

    /// Registers what stopping does until ``disarm()``; runs it at once if the job was already
    /// stopped.
    func arm(_ action: @escaping @Sendable () -> Void) {
        let stopped = state.withLock { state -> Bool in
            if state.reason != nil { return true }
            state.action = action
            return false
        }
        if stopped { action() }
    }

    /// Forgets the action: a stop from now on only records its reason. Returns the reason the
    /// job was stopped for until now, the one its handler's end is to be read by.
    @discardableResult
    func disarm() -> StopReason? {
        state.withLock { state in
            state.action = nil
            return state.reason
        }
    }
}
