import Foundation
import RectifyDomain
import RectifyPostgres

/// Reads a ledger file on a thread of its own, up to `depth` batches ahead of the importer, so
/// that parsing the next batch overlaps with the database loading the one before.
///
/// The importer takes batches with ``next()``, which blocks its own connection thread (never a
/// thread of the cooperative pool) until a batch is ready. ``stop()`` ends the reading early.
final class ReadAhead: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var ready: [LedgerBatch] = []
    private var finished = false
    private var failure: LedgerError?
    private var stopped = false

    private let depth: Int

    /// Starts reading `reader` in batches of `batchSize`, calling `progress` after each batch.
    init(
        _ reader: consuming LedgerReader, batchSize: Int, depth: Int = 2,
        progress: @escaping @Sendable (_ records: Int, _ bytesRead: Int, _ totalBytes: Int?) -> Void
    ) {
        self.depth = depth
        nonisolated(unsafe) var reader = reader
        OwnThread.start(name: "rectify-ledger-reader") { [self] in
            do throws(LedgerError) {
                while let batch = try reader.next(limit: batchSize) {
                    progress(reader.recordsRead, reader.bytesRead, reader.totalBytes)
                    guard put(batch) else { return }
                }
                end(with: nil)
            } catch {
                end(with: error)
            }
        }
    }

    /// The next batch; `nil` after the last. Blocks until the reader has one.
    ///
    /// - Throws: the ``LedgerError`` that stopped the reader.
    func next() throws(LedgerError) -> LedgerBatch? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished { condition.wait() }
        if !ready.isEmpty {
            defer { condition.broadcast() }
            return ready.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    /// Tells the reader to stop (the import failed); it ends after the batch in hand.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for room and adds a batch; false once stopped.
    private func put(_ batch: LedgerBatch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while ready.count >= depth && !stopped { condition.wait() }
        guard !stopped else { return false }
        ready.append(batch)
        condition.broadcast()
        return true
    }

    private func end(with error: LedgerError?) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }
}
