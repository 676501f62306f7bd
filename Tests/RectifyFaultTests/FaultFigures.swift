import Foundation

/// What one fault run did and found, written as JSON to `RECTIFY_FAULT_REPORT` when set
/// (RELIABILITY.md quotes the long run's).
struct FaultFigures: Codable, Sendable {
    var jobsEnqueued = 0
    var effectJobs = 0
    var effectsExpected = 0
    var effectsFound = 0
    var effectsLost = 0
    var effectsDuplicated = 0
    var poisonJobs = 0
    var poisonDiscardedAsDesigned = 0
    var timedOutJobsDiscarded = 0
    var workersKilled = 0
    var workersPaused = 0
    var workerDeaths = 0
    var workersReplaced = 0
    var restartsFast = 0
    var restartsImmediate = 0
    /// Seconds from the server accepting connections again (as the suite's own pool sees it) to
    /// the next job completed, for restarts while jobs were left.
    var recoverySeconds: [Double] = []
    /// Seconds from the first enqueue until no live job was left (faults may go on after).
    var drainedAfterSeconds: Double?
    /// Seconds the server was down, per restart.
    var downSeconds: [Double] = []
    /// HTTP statuses `rectify serve` answered while the database was down.
    var apiStatusesWhileDown: [String: Int] = [:]
    /// Worker log lines showing fencing at work: a handler cancelled because its lease was
    /// taken over, a transactional completion refused, a batched completion refused.
    var leaseLostHandlersCancelled = 0
    var completionsRefused = 0
    var cronFirings = 0
    var monthlyRunSets = 0
    var runningLeft = 0
    var liveJobsLeft = 0
    var maxAttemptsOfEffectJobs = 0
    var runSeconds = 0.0
    var workerExitCodes: [Int32] = []

    func write() {
        guard let path = ProcessInfo.processInfo.environment["RECTIFY_FAULT_REPORT"], !path.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        try? encoder.encode(self).write(to: URL(fileURLWithPath: path))
    }
}
