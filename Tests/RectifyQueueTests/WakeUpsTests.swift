@testable import RectifyQueue
import Testing

@Suite("Wake-ups after commits")
struct WakeUpsTests {
    @Test("a wake-up begun after a commit returned covers it; one begun before does not")
    func coalescing() {
        let wakeUps = WakeUps()
        let first = ContinuousClock.now
        #expect(wakeUps.needed(for: "q", committedBy: first), "nothing begun yet")
        #expect(!wakeUps.needed(for: "q", committedBy: first), "the wake-up begun after this commit covers it")
        #expect(wakeUps.needed(for: "other", committedBy: first), "each queue has its own")
        let later = ContinuousClock.now + .milliseconds(1)
        #expect(wakeUps.needed(for: "q", committedBy: later), "a commit after the last wake-up began needs its own")
    }
}
