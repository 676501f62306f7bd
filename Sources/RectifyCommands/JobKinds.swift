import RectifyProgress
import RectifyReports
public import RectifyWorker
public import Synchronization

/// Every job kind this build of rectify runs: the built-in kinds, the reports' and the
/// progress jobs', and those a program that embeds the commands adds (the fault suite's
/// worker, `Sources/RectifyFaultWorker`); the shipped `rectify` adds none.
public enum JobKinds {
    /// Registrations added before the command runs; empty in `rectify`.
    public static let additional = Mutex<[@Sendable (inout JobRegistry) -> Void]>([])

    static func register(into registry: inout JobRegistry) {
        BuiltinJobs.register(into: &registry)
        ReportJobs.register(into: &registry)
        ProgressJobs.register(into: &registry)
        for register in additional.withLock({ $0 }) { register(&registry) }
    }
}
