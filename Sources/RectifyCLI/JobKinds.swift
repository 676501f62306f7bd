import RectifyProgress
import RectifyReports
import RectifyWorker

/// Every job kind this build of rectify runs (and the fault suite's, only when
/// `RECTIFY_FAULT_KINDS=1`; see ``FaultJobs``).
enum JobKinds {
    static func register(into registry: inout JobRegistry) {
        BuiltinJobs.register(into: &registry)
        ReportJobs.register(into: &registry)
        ProgressJobs.register(into: &registry)
        if FaultJobs.enabled { FaultJobs.register(into: &registry) }
    }
}
