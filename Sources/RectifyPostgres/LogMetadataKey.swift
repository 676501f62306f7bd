/// Every logging metadata key rectify uses, declared in one place so that logs stay greppable.
///
/// Keys are lowercase and dotted. Values never carry passwords, connection strings, tokens or
/// bound parameter values.
public enum LogMetadataKey {
    /// The id of a job.
    public static let jobID = "rectify.job.id"
    /// The kind of a job (`noop`, `monthly_schedule`, …).
    public static let jobKind = "rectify.job.name"
    /// The queue a job is in.
    public static let queue = "rectify.queue"
    /// The worker process that runs a job.
    public static let workerID = "rectify.worker.id"
    /// The attempt number of a job run, starting at 1.
    public static let attempt = "rectify.attempt"
    /// The client-side id of a database connection.
    public static let connectionID = "db.connection.id"
    /// The database endpoint (`host:port/database`), never credentials.
    public static let databaseEndpoint = "db.endpoint"
    /// The one server of the endpoint that a connection reached (`host:port/database`): with
    /// a multi-host URL, the node that was the primary when it connected.
    public static let databaseServer = "db.server"
    /// The name of a periodic schedule entry (`monthly_run`, …).
    public static let scheduleEntry = "rectify.schedule.entry"
    /// The id a client gave its HTTP request (`X-Request-Id`); requests without one are known
    /// by Hummingbird's `hb.request.id`.
    public static let requestID = "rectify.request.id"
    /// The office a request authenticated as (its id, never its token).
    public static let officeID = "rectify.office.id"
    /// A description of an error.
    public static let error = "error"
}
