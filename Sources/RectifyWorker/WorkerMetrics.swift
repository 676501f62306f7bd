import Metrics
import RectifyQueue
import Synchronization

/// The worker's metrics, through swift-metrics (the CLI chooses the backend).
///
/// - `rectify_jobs_started_total{queue,job}`
/// - `rectify_jobs_finished_total{queue,job,outcome}`: outcome is `completed`, `retryable`,
///   `discarded`, `cancelled`, `snoozed`, `released` or `lease_lost`
/// - `rectify_job_run_seconds{queue,job}`: handler run time
/// - `rectify_job_wait_seconds{queue,job}`: from due to started
/// - `rectify_queue_jobs{queue,state}` and `rectify_queue_oldest_available_seconds{queue}`
final class WorkerMetrics: Sendable {
    private struct Key: Hashable {
        var queue: String
        var kind: String
        var outcome: String = ""
    }

    private let counters = Mutex<[Key: Counter]>([:])
    private let timers = Mutex<[Key: Timer]>([:])

    func started(_ job: ClaimedJob, waited: Duration) {
        counter(Key(queue: job.queue, kind: job.kind), "rectify_jobs_started_total").increment()
        timer(Key(queue: job.queue, kind: job.kind, outcome: "wait"), "rectify_job_wait_seconds").record(duration: waited)
    }

    func finished(_ job: ClaimedJob, outcome: String, ran: Duration) {
        counter(Key(queue: job.queue, kind: job.kind, outcome: outcome), "rectify_jobs_finished_total").increment()
        timer(Key(queue: job.queue, kind: job.kind, outcome: "run"), "rectify_job_run_seconds").record(duration: ran)
    }

    func record(_ stats: [String: QueueStats]) {
        for (queue, depth) in stats {
            for state in JobState.allCases where !state.isFinished {
                Gauge(label: "rectify_queue_jobs", dimensions: [("queue", queue), ("state", state.rawValue)])
                    .record(depth[state])
            }
            Gauge(label: "rectify_queue_oldest_available_seconds", dimensions: [("queue", queue)])
                .record(depth.oldestAvailableAgeSeconds)
        }
    }

    private func counter(_ key: Key, _ label: String) -> Counter {
        counters.withLock { cache in
            if let counter = cache[key] { return counter }
            var dimensions = [("queue", key.queue), ("job", key.kind)]
            if !key.outcome.isEmpty { dimensions.append(("outcome", key.outcome)) }
            let counter = Counter(label: label, dimensions: dimensions)
            cache[key] = counter
            return counter
        }
    }

    private func timer(_ key: Key, _ label: String) -> Timer {
        timers.withLock { cache in
            if let timer = cache[key] { return timer }
            let timer = Timer(label: label, dimensions: [("queue", key.queue), ("job", key.kind)], preferredDisplayUnit: .seconds)
            cache[key] = timer
            return timer
        }
    }
}
