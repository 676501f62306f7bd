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

/// The stop request of one running job: set at most once; its executor registers what
/// stopping does (cancel the handler's task).
final class JobStop: Sendable {
    private struct State {
        var reason: StopReason?
        var action: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    /// The reason, once stopped.
    var reason: StopReason? { state.withLock { $0.reason } }

    /// Asks the job to stop; the first reason wins and runs the registered action.
    func stop(_ reason: StopReason) {
        let action = state.withLock { state -> (@Sendable () -> Void)? in
            guard state.reason == nil else { return nil }
            state.reason = reason
            defer { state.action = nil }
            return state.action
        }
        action?()
    }

    /// Registers what stopping does; runs it at once if the job was already stopped.
    func onStop(_ action: @escaping @Sendable () -> Void) {
        let stopped = state.withLock { state -> Bool in
            if state.reason != nil { return true }
            state.action = action
            return false
        }
        if stopped { action() }
    }
}
