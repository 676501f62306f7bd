@testable import RectifyWorker
import RectifyTesting
import Testing

/// The producer and the background loops sleep on ``WakeSignal``: a wake-up it loses stalls a
/// queue until the poll interval, a wait it never ends stalls shutdown.
@Suite("Wake signals")
struct WakeSignalTests {
    @Test("a signal wakes a waiter whose timeout is an hour away, and one sent first is kept for the next wait")
    func signalWakes() async {
        let signal = WakeSignal()
        #expect(await returns(within: .seconds(30)) {
            async let waiting: Void = signal.wait(timeout: .seconds(3600))
            try await Task.sleep(for: .milliseconds(100))
            signal.signal()
            await waiting
        }, "the waiter did not wake")
        signal.signal()
        #expect(await returns(within: .seconds(30)) { await signal.wait(timeout: .seconds(3600)) }, "the kept signal was lost")
    }

    @Test("closed, a signal wakes every waiter and ends every later wait at once")
    func closeWakesEveryone() async {
        let signal = WakeSignal()
        #expect(await returns(within: .seconds(30)) {
            async let first: Void = signal.wait(timeout: .seconds(3600))
            async let second: Void = signal.wait(timeout: .seconds(3600))
            try await Task.sleep(for: .milliseconds(100))
            signal.close()
            _ = await (first, second)
            await signal.wait(timeout: .seconds(3600))
            await signal.wait(timeout: .seconds(3600))
        }, "a wait outlived the close")
    }

    @Test("a wait in a task already cancelled returns at once")
    func alreadyCancelled() async {
        let signal = WakeSignal()
        #expect(await returns(within: .seconds(30)) {
            let waiter = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                await signal.wait(timeout: .seconds(3600))
            }
            await waiter.value
        }, "the cancelled task waited")
    }

    @Test("a wait ends at its timeout, and at once when its task is cancelled")
    func timeoutAndCancellation() async {
        let signal = WakeSignal()
        let started = ContinuousClock.now
        #expect(await returns(within: .seconds(30)) { await signal.wait(timeout: .milliseconds(200)) }, "the timeout never ended the wait")
        #expect(started.duration(to: .now) >= .milliseconds(200))
        let waiter = Task { await signal.wait(timeout: .seconds(3600)) }
        #expect(await returns(within: .seconds(30)) {
            try await Task.sleep(for: .milliseconds(100))
            waiter.cancel()
            await waiter.value
        }, "the cancelled waiter kept waiting")
    }
}
