import ArgumentParser
import RectifyQueue
import RectifyWorker

/// Worker settings on the command line; defaults are ``WorkerConfiguration``'s.
struct WorkerOptions: ParsableArguments {
    @Option(name: .customLong("queue"), help: ArgumentHelp(
        "A queue to work, as NAME or NAME=CONCURRENCY; repeat for several (default: default=200).",
        valueName: "name[=n]"))
    var queues: [String] = []

    @Option(help: "Seconds a claim stays valid without a heartbeat.")
    var lease: Double?

    @Option(help: "Seconds between lease renewals (default: a third of the lease).")
    var heartbeat: Double?

    @Option(help: "Seconds between polls when no NOTIFY arrives.")
    var poll: Double?

    @Option(name: .customLong("rescue-interval"), help: "Seconds between rescues of expired leases.")
    var rescueInterval: Double?

    @Option(name: .customLong("promote-interval"), help: "Seconds between promotions of due scheduled jobs.")
    var promoteInterval: Double?

    @Option(help: "Seconds running jobs may take to finish on shutdown before they are returned to the queue.")
    var grace: Double?

    @Option(name: .customLong("retry-base"), help: "Seconds of backoff after a first failed attempt (doubles each time).")
    var retryBase: Double?

    @Option(help: "Seconds finished jobs are kept at least; they go a partition (a day or more) at a time (default: retention.finished_jobs_days).")
    var retention: Double?

    @Option(name: .customLong("prune-interval"), help: "Seconds between prunes of finished jobs past retention.")
    var pruneInterval: Double?

    @Option(name: .customLong("worker-id"), help: "This worker's id (default host-pid-random).")
    var workerID: String?

    /// `base` (the configuration file and environment's settings) with these flags applied.
    func configuration(base: WorkerConfiguration) throws -> WorkerConfiguration {
        var configuration = base
        if !queues.isEmpty {
            configuration.queues = [:]
            for entry in queues {
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                guard let name = parts.first, !name.isEmpty else { throw ValidationError("--queue: empty queue name") }
                let concurrency = parts.count == 2 ? Int(parts[1]) : WorkerConfiguration.defaultConcurrency
                guard let concurrency, concurrency > 0 else {
                    throw ValidationError("--queue \(entry): concurrency must be a positive whole number")
                }
                configuration.queues[name] = concurrency
            }
        }
        func seconds(_ value: Double?, _ flag: String) throws -> Duration? {
            guard let value else { return nil }
            guard value > 0, value.isFinite else { throw ValidationError("--\(flag) must be a positive number of seconds") }
            return .milliseconds(Int64((value * 1000).rounded()))
        }
        if let lease = try seconds(lease, "lease") {
            configuration.lease = lease
            configuration.heartbeatInterval = lease / 3
        }
        if let value = try seconds(heartbeat, "heartbeat") { configuration.heartbeatInterval = value }
        if let value = try seconds(poll, "poll") { configuration.pollInterval = value }
        if let value = try seconds(rescueInterval, "rescue-interval") { configuration.rescueInterval = value }
        if let value = try seconds(promoteInterval, "promote-interval") { configuration.promoteInterval = value }
        if let value = try seconds(grace, "grace") { configuration.shutdownGracePeriod = value }
        if let value = try seconds(retryBase, "retry-base") { configuration.retry.base = value }
        if let value = try seconds(retention, "retention") { configuration.retention = value }
        if let value = try seconds(pruneInterval, "prune-interval") { configuration.pruneInterval = value }
        if let workerID { configuration.workerID = workerID }
        return configuration
    }
}
