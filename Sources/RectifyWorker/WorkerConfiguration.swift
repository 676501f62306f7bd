public import RectifyQueue

/// Settings of a worker process. Every default suits production; tests shorten the durations.
public struct WorkerConfiguration: Sendable {
    /// How many jobs of one queue may run at once in a process unless configured otherwise.
    public static let defaultConcurrency = 200

    /// Queues to work and how many jobs of each may run at once in this process; default
    /// `["default": 200]`.
    public var queues: [String: Int] = ["default": defaultConcurrency]
    /// Most jobs claimed in one statement; default 200.
    public var claimBatchSize: Int = 200
    /// While a queue is busy, the longest a producer waits for half a batch of free slots
    /// before claiming fewer; default 5 ms.
    public var claimCooldown: Duration = .milliseconds(5)
    /// How long a claim is valid without a heartbeat; default 30 s.
    public var lease: Duration = .seconds(30)
    /// How often running jobs' leases are renewed; default 10 s (a third of the lease).
    public var heartbeatInterval: Duration = .seconds(10)
    /// Fallback poll when no `NOTIFY` arrives; default 1 s.
    public var pollInterval: Duration = .seconds(1)
    /// How often due scheduled and retryable jobs are made available; default 1 s.
    public var promoteInterval: Duration = .seconds(1)
    /// How often expired leases are rescued; default 5 s.
    public var rescueInterval: Duration = .seconds(5)
    /// How long finished jobs are kept; default 7 days.
    public var retention: Duration = .seconds(7 * 86_400)
    /// How often finished jobs past retention are pruned; default 60 s.
    public var pruneInterval: Duration = .seconds(60)
    /// On shutdown, how long running jobs may take to finish before they are cancelled and
    /// returned to the queue; default 25 s.
    public var shutdownGracePeriod: Duration = .seconds(25)
    /// How long one attempt of a job may run before its handler is cancelled and the attempt
    /// counted as failed, when neither the job, ``jobTimeouts`` nor the kind's registration
    /// says otherwise; default 1 hour.
    public var jobTimeout: Duration = .seconds(3600)
    /// Per-kind attempt timeouts, overriding the kind's registration and ``jobTimeout``
    /// (a job's own timeout overrides these); default none.
    public var jobTimeouts: [String: Duration] = [:]
    /// Connections reserved for the worker's own heartbeats, completions and maintenance, apart
    /// from the pool its handlers borrow from, so that handlers holding every pooled connection
    /// cannot starve heartbeats; default 3. Each queue's claims hold one connection more.
    public var maintenanceConnections = 3
    /// Backoff after a failed attempt, and after an attempt this worker's maintenance rescued,
    /// for kinds registered without a retry policy of their own.
    public var retry: RetryPolicy = RetryPolicy()
    /// This worker's id; `nil` derives `host-pid-random`.
    public var workerID: String? = nil

    /// Creates the default settings.
    public init() {}
}
