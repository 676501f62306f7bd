import Foundation
import RectifyQueue
import Synchronization

/// Progress of long work on stderr: one line redrawn in place on a terminal, or plain lines
/// at each tenth of the way (and at most every few seconds) when stderr is a file or a pipe.
final class ProgressLine: Sendable {
    private struct State {
        var lastDrawn = ContinuousClock.now
        var lastTenth = 0
        var drawnInPlace = false
        /// The latest figures given to ``update(done:total:items:itemName:)``, and whether
        /// they have been shown.
        var latest: (done: Int, total: Int?, items: Int, itemName: String)?
        var latestShown = true
    }

    private let label: String
    private let started = ContinuousClock.now
    private let onTerminal = isatty(STDERR_FILENO) == 1
    private let state = Mutex(State())

    /// A progress line for work called `label` ("reading ledger.json").
    init(_ label: String) {
        self.label = label
    }

    /// Shows `done` of `total` units (bytes, say) and a count of `items` so far.
    func update(done: Int, total: Int?, items: Int, itemName: String) {
        state.withLock { state in
            state.latest = (done, total, items, itemName)
            state.latestShown = false
            draw(&state, force: false)
        }
    }

    /// Shows the latest figures if they have not been shown: the work is done, so its last
    /// count is the one to leave on screen.
    func complete() {
        state.withLock { state in
            if !state.latestShown { draw(&state, force: true) }
        }
    }

    private func draw(_ state: inout State, force: Bool) {
        guard let (done, total, items, itemName) = state.latest else { return }
        let fraction = total.map { $0 > 0 ? min(1, Double(done) / Double($0)) : 1 }
        let seconds = started.duration(to: .now).secondsDouble
        let rate = seconds > 0 ? Double(items) / seconds : 0
        let counts = "\(items.formatted()) \(itemName), \(Int(rate).formatted())/s"
        let now = ContinuousClock.now
        if onTerminal {
            guard force || now - state.lastDrawn > .milliseconds(100) || fraction == 1 else { return }
            let bar = fraction.map { Self.bar($0) + String(format: " %3.0f%%  ", $0 * 100) } ?? ""
            write("\r\u{1B}[2Krectify: \(label) \(bar)\(counts)")
            state.drawnInPlace = true
        } else {
            let tenth = Int((fraction ?? 0) * 10)
            guard force || tenth > state.lastTenth || now - state.lastDrawn > .seconds(5) else { return }
            state.lastTenth = tenth
            let percent = fraction.map { String(format: "%.0f%%, ", $0 * 100) } ?? ""
            write("rectify: \(label): \(percent)\(counts)\n")
        }
        state.lastDrawn = now
        state.latestShown = true
    }

    /// Ends the in-place line (if any) and prints `message` as a plain note.
    func note(_ message: String) {
        end()
        write("rectify: \(message)\n")
    }

    /// Ends the in-place line, if one is drawn, so what follows starts on a line of its own.
    func end() {
        state.withLock { state in
            if state.drawnInPlace { write("\n") }
            state.drawnInPlace = false
        }
    }

    private static func bar(_ fraction: Double, width: Int = 24) -> String {
        let filled = Int(fraction * Double(width))
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
