@testable import RectifyLedger
import Testing

/// The digest an import records, against the standard's known answers, fed in pieces that do
/// not fall on the 64-byte blocks.
@Suite("SHA-256 of a file as it is read")
struct FileDigestTests {
    @Test("known answers, whatever the pieces the bytes arrive in", arguments: [1, 3, 63, 64, 65, 1000, 1 << 20])
    func knownAnswers(pieceSize: Int) {
        func digest(_ bytes: [UInt8]) -> (hex: String, count: Int) {
            let sha = FileDigest()
            for start in stride(from: 0, to: bytes.count, by: pieceSize) {
                sha.update(Array(bytes[start..<min(start + pieceSize, bytes.count)]))
            }
            return (sha.hex, sha.byteCount)
        }
        #expect(digest([]).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(digest(Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let twoBlocks = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(digest(twoBlocks).hex == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let million = digest([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        #expect(million.hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(million.count == 1_000_000)
    }
}
