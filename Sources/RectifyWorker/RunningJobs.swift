import RectifyQueue
import Synchronization

/// The jobs this worker process is running now, by queue: for concurrency limits and heartbeats.
final class RunningJobs: Sendable {
    private let jobs = Mutex<[JobLease: String]>([:])

    func insert(_ job: ClaimedJob) { jobs.withLock { $0[job.lease] = job.queue } }

    func remove(_ lease: JobLease) { jobs.withLock { _ = $0.removeValue(forKey: lease) } }

    func count(in queue: String) -> Int { jobs.withLock { $0.values.count { $0 == queue } } }

    var leases: [JobLease] { jobs.withLock { Array($0.keys) } }

    var isEmpty: Bool { jobs.withLock { $0.isEmpty } }
}
