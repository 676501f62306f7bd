@testable import RectifyWorker
import Synchronization
import Testing

/// A job's stop request cancels the task running its handler while armed, and nothing after:
/// the executor disarms it when the handler returns and reads the handler's end by the reason
/// the request held at that moment.
@Suite("Job stop requests")
struct JobStopTests {
    @Test("armed, a stop runs the action once with the first reason; disarmed, a later stop only marks the request")
    func armAndDisarm() {
        let runs = Atomic<Int>(0)
        let armed = JobStop()
        armed.arm { runs.add(1, ordering: .relaxed) }
        armed.stop(.leaseLost)
        armed.stop(.discarded)
        #expect(runs.load(ordering: .relaxed) == 1)
        #expect(armed.disarm() == .leaseLost)

        let disarmed = JobStop()
        disarmed.arm { runs.add(1, ordering: .relaxed) }
        #expect(disarmed.disarm() == nil)
        disarmed.stop(.timedOut(.seconds(1)))
        #expect(runs.load(ordering: .relaxed) == 1, "a disarmed request ran its action")
        #expect(disarmed.isStopped, "a stop after disarming still tells heartbeats to leave the lease")
    }

    @Test("a request stopped before it is armed runs the action as it is armed")
    func stoppedBeforeArmed() {
        let runs = Atomic<Int>(0)
        let stop = JobStop()
        stop.stop(.discarded)
        #expect(stop.isStopped)
        stop.arm { runs.add(1, ordering: .relaxed) }
        #expect(runs.load(ordering: .relaxed) == 1)
    }
}
