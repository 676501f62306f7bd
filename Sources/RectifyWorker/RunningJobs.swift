import RectifyQueue
import Synchronization

/// The jobs this worker process is running now, by queue: for concurrency limits, heartbeats,
/// attempt timeouts and stopping one job's handler (lost lease, operator discard, timeout).
final class RunningJobs: Sendable {
    private struct Entry {
        var queue: String
        var stop: JobStop
        var limit: Duration
        var deadline: ContinuousClock.Instant
    }

    private struct State {
        var jobs: [JobLease: Entry] = [:]
        var counts: [String: Int] = [:]
        /// Per queue, the running count at or below which its producer wants waking (one-shot).
        var wakeMarks: [String: Int] = [:]
        /// When ``stopTimedOut()`` next looks at the deadlines.
        var nextDeadlineCheck = ContinuousClock.Instant.now
    }

    private let state = Mutex(State())
    /// Signalled when a job arrives whose deadline is earlier than the next planned check.
    let deadlineMoved = WakeSignal()

    /// Adds a job that may run for `limit`; returns its stop request, on which the executor
    /// registers what stopping does.
    func insert(_ job: ClaimedJob, limit: Duration) -> JobStop {
        let stop = JobStop()
        let deadline = ContinuousClock.now + limit
        let earlier = state.withLock { state in
            state.jobs[job.lease] = Entry(queue: job.queue, stop: stop, limit: limit, deadline: deadline)
            state.counts[job.queue, default: 0] += 1
            return deadline < state.nextDeadlineCheck
        }
        if earlier { deadlineMoved.signal() }
        return stop
    }

    /// Removes a finished job; true when its queue's running count fell to the mark its producer
    /// asked to be woken at (``wake(queue:runningAtMost:)``), which is then cleared.
    func remove(_ lease: JobLease) -> Bool {
        state.withLock { state in
            guard let entry = state.jobs.removeValue(forKey: lease) else { return false }
            let count = state.counts[entry.queue, default: 1] - 1
            state.counts[entry.queue] = count
            guard let mark = state.wakeMarks[entry.queue], count <= mark else { return false }
            state.wakeMarks[entry.queue] = nil
            return true
        }
    }

    func count(in queue: String) -> Int { state.withLock { $0.counts[queue] ?? 0 } }

    /// Asks ``remove(_:)`` to report when `queue`'s running count falls to `mark`; returns the
    /// count now, so that a caller finding it already there does not wait.
    func wake(queue: String, runningAtMost mark: Int) -> Int {
        state.withLock { state in
            state.wakeMarks[queue] = mark
            return state.counts[queue] ?? 0
        }
    }

    /// Stops the handlers of jobs past their deadline (``StopReason/timedOut(_:)``); returns
    /// when to look again: the earliest deadline left, and at least once a second.
    func stopTimedOut() -> ContinuousClock.Instant {
        let now = ContinuousClock.now
        let expired = state.withLock { state -> [(JobStop, Duration)] in
            var expired: [(JobStop, Duration)] = []
            var next = now + .seconds(1)
            for entry in state.jobs.values where !entry.stop.isStopped {
                if entry.deadline <= now {
                    expired.append((entry.stop, entry.limit))
                } else {
                    next = min(next, entry.deadline)
                }
            }
            state.nextDeadlineCheck = next
            return expired
        }
        for (stop, limit) in expired { stop.stop(.timedOut(limit)) }
        return state.withLock { $0.nextDeadlineCheck }
    }

    /// Leases to renew: those of jobs not asked to stop. A job that timed out and whose handler
    /// ignores cancellation is thus rescued by the queue once its lease runs out.
    var leases: [JobLease] { state.withLock { $0.jobs.filter { !$0.value.stop.isStopped }.map(\.key) } }

    /// True while the job with this lease runs here.
    func contains(_ lease: JobLease) -> Bool { state.withLock { $0.jobs[lease] != nil } }

    /// Stops the handler of the job with this lease, if it runs here.
    func stop(_ lease: JobLease, _ reason: StopReason) {
        state.withLock { $0.jobs[lease]?.stop }?.stop(reason)
    }

    /// Stops the handler of the job with this id, whatever its attempt.
    func stop(jobID: Int64, _ reason: StopReason) {
        let stops = state.withLock { $0.jobs.filter { $0.key.id == jobID }.map(\.value.stop) }
        for stop in stops { stop.stop(reason) }
    }
}
