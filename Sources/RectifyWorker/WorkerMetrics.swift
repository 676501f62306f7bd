import Metrics
import RectifyQueue
import Synchronization

/// The worker's metrics, through swift-metrics (the CLI chooses the backend).
///
/// - `rectify_jobs_started_total{queue,kind}`
/// - `rectify_jobs_finished_total{queue,kind,outcome}`: outcome is `completed`, `retryable`,
///   `discarded`, `cancelled`, `snoozed`, `released`, `lease_lost` or `unrecorded` (the outcome
///   could not be written; the lease will expire and the job be rescued)
/// - `rectify_job_run_seconds{queue,kind}`: handler run time
/// - `rectify_job_wait_seconds{queue,kind}`: from due to started
///
/// The job kind's label is `kind`: Prometheus gives every scraped series a `job` label of its
/// own (the scrape job) and would rename one of ours to `exported_job`.
///
/// The queue's depth is not among them: it is one figure for the whole database, exported by
/// `rectify serve` (`ProgrammeGauges` in RectifyAPI), not counted again by every worker.
final class WorkerMetrics: Sendable {
    /// The metrics of one queue and job kind, made at its first job: looking them up once per
    /// job, not once per figure, keeps the hashing off each job's path.
    final class KindMetrics: Sendable {
        fileprivate let startedTotal: Counter
        fileprivate let waitSeconds: Timer
        fileprivate let runSeconds: Timer
        private let dimensions: [(String, String)]
        private let finishedTotals = Mutex<[String: Counter]>([:])

        fileprivate init(queue: String, kind: String) {
            dimensions = [("queue", queue), ("kind", kind)]
            startedTotal = Counter(label: "rectify_jobs_started_total", dimensions: dimensions)
            waitSeconds = Timer(label: "rectify_job_wait_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
            runSeconds = Timer(label: "rectify_job_run_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
        }

        fileprivate func finishedTotal(outcome: String) -> Counter {
            finishedTotals.withLock { cache in
                if let counter = cache[outcome] { return counter }
                let counter = Counter(label: "rectify_jobs_finished_total", dimensions: dimensions + [("outcome", outcome)])
                cache[outcome] = counter
                return counter
            }
        }
    }

    private struct Key: Hashable {
        var queue: String
        var kind: String
    }

    private let kinds = Mutex<[Key: KindMetrics]>([:])

    /// Counts a job's start and how long it waited; returns its kind's metrics for
    /// ``finished(_:outcome:ran:)``.
    func started(_ job: ClaimedJob, waited: Duration) -> KindMetrics {
        let metrics = kinds.withLock { cache in
            let key = Key(queue: job.queue, kind: job.kind)
            if let metrics = cache[key] { return metrics }
            let metrics = KindMetrics(queue: job.queue, kind: job.kind)
            cache[key] = metrics
            return metrics
        }
        metrics.startedTotal.increment()
        metrics.waitSeconds.record(duration: waited)
        return metrics
    }

    /// Counts a job's end by outcome and how long its handler ran.
    func finished(_ metrics: KindMetrics, outcome: String, ran: Duration) {
        metrics.finishedTotal(outcome: outcome).increment()
        metrics.runSeconds.record(duration: ran)
    }
}
