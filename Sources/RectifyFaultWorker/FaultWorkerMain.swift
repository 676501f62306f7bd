import ArgumentParser
import RectifyCommands
import Synchronization

/// `RectifyFaultWorker`: the `rectify` commands plus the fault suite's job kinds
/// (``FaultJobs``), for Tests/RectifyFaultTests only; never shipped, never in `rectify`.
@main
struct FaultWorkerMain {
    static func main() async {
        JobKinds.additional.withLock { $0.append { FaultJobs.register(into: &$0) } }
        await Rectify.main()
    }
}
