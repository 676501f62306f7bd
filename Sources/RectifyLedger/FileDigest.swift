import Crypto
import Synchronization

/// SHA-256 of a file (swift-crypto's), fed its bytes as the import reads them: the fingerprint
/// an import leaves in the history of the tasks it changed, so a trace names exactly which file
/// overwrote them. The file is read once, so a pipe has a digest too.
final class FileDigest: Sendable {
    private let state = Mutex((hasher: SHA256(), length: 0))

    /// Adds the next bytes of the file.
    func update(_ bytes: [UInt8]) {
        state.withLock {
            $0.hasher.update(data: bytes)
            $0.length += bytes.count
        }
    }

    /// How many bytes were added so far.
    var byteCount: Int { state.withLock { $0.length } }

    /// The digest of the bytes added so far, in lowercase hex.
    var hex: String {
        Secrets.hex(Array(state.withLock { $0.hasher }.finalize()))
    }
}
