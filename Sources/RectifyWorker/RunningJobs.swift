import RectifyQueue
import Synchronization

/// The jobs this worker process is running now, by queue: for concurrency limits, heartbeats
/// and stopping one job's handler (lost lease, operator discard, timeout).
final class RunningJobs: Sendable {
    private struct Entry {
        var queue: String
        var stop: JobStop
    }

    private let jobs = Mutex<[JobLease: Entry]>([:])

    /// Adds a job; returns the stop request its executor awaits.
    func insert(_ job: ClaimedJob) -> JobStop {
        let stop = JobStop()
        jobs.withLock { $0[job.lease] = Entry(queue: job.queue, stop: stop) }
        return stop
    }

    func remove(_ lease: JobLease) { jobs.withLock { _ = $0.removeValue(forKey: lease) } }

    func count(in queue: String) -> Int { jobs.withLock { $0.values.count { $0.queue == queue } } }

    /// Leases to renew: those of jobs not asked to stop. A job that timed out and whose handler
    /// ignores cancellation is thus rescued by the queue once its lease runs out.
    var leases: [JobLease] { jobs.withLock { $0.filter { $0.value.stop.reason == nil }.map(\.key) } }

    var isEmpty: Bool { jobs.withLock { $0.isEmpty } }

    /// True while the job with this lease runs here.
    func contains(_ lease: JobLease) -> Bool { jobs.withLock { $0[lease] != nil } }

    /// Stops the handler of the job with this lease, if it runs here.
    func stop(_ lease: JobLease, _ reason: StopReason) {
        jobs.withLock { $0[lease]?.stop }?.stop(reason)
    }

    /// Stops the handler of the job with this id, whatever its attempt.
    func stop(jobID: Int64, _ reason: StopReason) {
        let stops = jobs.withLock { $0.filter { $0.key.id == jobID }.map(\.value.stop) }
        for stop in stops { stop.stop(reason) }
    }
}
