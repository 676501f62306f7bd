import Crypto

/// The random secrets rectify hands out (office tokens, session ids, one-time links) and the
/// only form in which it keeps them: a SHA-256 made here, in Swift, so that a secret itself
/// never reaches PostgreSQL or its logs.
package enum Secrets {
    /// 32 random bytes (256 bits) from the system's generator as 64 hex characters, after
    /// `prefix` so that a leaked secret says what it is (`rct_` for an office token).
    package static func new(prefix: String = "") -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + hex((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The SHA-256 of `secret`'s UTF-8 bytes in lowercase hex, for SQL's `decode(…, 'hex')`.
    package static func digest(_ secret: String) -> String {
        hex(Array(SHA256.hash(data: Array(secret.utf8))))
    }

    /// Whether `text` has the form of a secret or a digest: 64 lowercase hex characters.
    package static func isHex64(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// `bytes` in lowercase hex, after `prefix` (`\x` for bytea's text input form).
    package static func hex(_ bytes: some Collection<UInt8>, prefix: String = "") -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = Array(prefix.utf8)
        text.reserveCapacity(text.count + bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

extension Secrets {
    /// A token for a form shown before anyone signed in (sign-in, set password): 256 random
    /// bits, carried in a cookie and in the form, compared on submission.
    package static func newFormToken() -> String { new() }
}
