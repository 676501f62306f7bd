@testable import RectifyWorker
import Synchronization
import Testing

/// A job's stop request cancels the task running its handler while armed, and nothing after:
/// the executor disarms it when the handler returns and records the outcome in that same task.
@Suite("Job stop requests")
struct JobStopTests {
    @Test("armed, a stop runs the action once with the first reason; disarmed, it only records the reason")
    func armAndDisarm() {
        let runs = Atomic<Int>(0)
        let armed = JobStop()
        armed.arm { runs.add(1, ordering: .relaxed) }
        armed.stop(.leaseLost)
        armed.stop(.discarded)
        #expect(runs.load(ordering: .relaxed) == 1)
        #expect(armed.reason == .leaseLost)

        let disarmed = JobStop()
        disarmed.arm { runs.add(1, ordering: .relaxed) }
        disarmed.disarm()
        disarmed.stop(.timedOut(.seconds(1)))
        #expect(runs.load(ordering: .relaxed) == 1, "a disarmed request ran its action")
        #expect(disarmed.reason == .timedOut(.seconds(1)))
    }

    @Test("a request stopped before it is armed runs the action as it is armed")
    func stoppedBeforeArmed() {
        let runs = Atomic<Int>(0)
        let stop = JobStop()
        stop.stop(.discarded)
        stop.arm { runs.add(1, ordering: .relaxed) }
        #expect(runs.load(ordering: .relaxed) == 1)
    }
}
