import Foundation

/// Walks the outer structure of a large JSON document read in chunks: the top-level object's
/// keys, and the elements of array values one at a time, each handed over as its raw bytes.
///
/// Only the structure is scanned here (strings, brackets, commas); each element is parsed
/// separately, so memory holds one chunk and one element, never the whole document.
struct JSONScanner {
    /// Why the structure could not be read.
    struct SyntaxError: Error {
        var message: String
    }

    private var chunks: any ByteChunks
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    /// Bytes dropped from the front of `buffer` so far.
    private var discarded = 0
    /// The start of the value being read: bytes from here on stay in the buffer.
    private var mark: Int?

    /// How many bytes of the document have been scanned.
    var offset: Int { discarded + position }

    init(_ chunks: any ByteChunks) {
        self.chunks = chunks
    }

    /// The next byte that is not whitespace, without consuming it; `nil` at the end.
    mutating func peek() throws -> UInt8? {
        while true {
            while position < buffer.count {
                switch buffer[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return buffer[position]
                }
            }
            guard try refill() else { return nil }
        }
    }

    /// Consumes `byte` (after whitespace) or throws naming what was expected.
    mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard try peek() == byte else { throw unexpected(what) }
        position += 1
    }

    /// Consumes `byte` if it is next (after whitespace).
    mutating func skip(_ byte: UInt8) throws -> Bool {
        guard try peek() == byte else { return false }
        position += 1
        return true
    }

    /// The raw bytes of the next value (object, array, string, number or literal).
    mutating func value() throws -> [UInt8] {
        guard let first = try peek() else { throw SyntaxError(message: "it ends where a value should start") }
        mark = position
        defer { mark = nil }
        switch first {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            repeat {
                let byte = try take()
                switch byte {
                case UInt8(ascii: "\""): try skipStringBody()
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                default: break
                }
            } while depth > 0
        case UInt8(ascii: "\""):
            position += 1
            try skipStringBody()
        default:
            while try !atDelimiter() { position += 1 }
            guard position > mark! else { throw unexpected("a value") }
        }
        return Array(buffer[mark!..<position])
    }

    /// The error for an unexpected byte or end of input where `what` should come.
    func unexpected(_ what: String) -> SyntaxError {
        guard position < buffer.count else { return SyntaxError(message: "it ends where \(what) should come") }
        return SyntaxError(message: "expected \(what) but found \(JSONValue.describe(buffer[position])) at byte \(offset)")
    }

    /// Consumes one byte, refilling as needed; the value being read stays in the buffer.
    private mutating func take() throws -> UInt8 {
        if position == buffer.count, try !refill() { throw SyntaxError(message: "it ends inside a value") }
        defer { position += 1 }
        return buffer[position]
    }

    /// Skips to just past the closing quote of a string whose opening quote was consumed.
    private mutating func skipStringBody() throws {
        while true {
            switch try take() {
            case UInt8(ascii: "\""): return
            case UInt8(ascii: "\\"): _ = try take()
            default: continue
            }
        }
    }

    private mutating func atDelimiter() throws -> Bool {
        if position == buffer.count, try !refill() { return true }
        switch buffer[position] {
        case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), 0x20, 0x09, 0x0A, 0x0D: return true
        default: return false
        }
    }

    /// Appends the next chunk, first dropping what was consumed once that is most of the
    /// buffer, so the buffer stays near one chunk plus the value being read.
    private mutating func refill() throws -> Bool {
        guard !atEnd else { return false }
        guard let chunk = try chunks.next() else {
            atEnd = true
            return false
        }
        let consumed = mark ?? position
        if consumed > buffer.count / 2 {
            buffer.removeFirst(consumed)
            discarded += consumed
            position -= consumed
            mark = mark.map { $0 - consumed }
        }
        buffer.append(contentsOf: chunk)
        return true
    }
}

/// A document's bytes, a chunk at a time.
protocol ByteChunks {
    /// The next chunk, or `nil` at the end.
    mutating func next() throws -> [UInt8]?
}

/// A file read in chunks of `chunkSize` bytes.
struct FileChunks: ByteChunks {
    let handle: FileHandle
    /// Called with each chunk as it is read.
    let eachChunk: (@Sendable ([UInt8]) -> Void)?
    var chunkSize = 1 << 20

    mutating func next() throws -> [UInt8]? {
        guard let data = try handle.read(upToCount: chunkSize), !data.isEmpty else { return nil }
        let chunk = [UInt8](data)
        eachChunk?(chunk)
        return chunk
    }
}

/// A document already in memory, handed over in chunks of `chunkSize` bytes.
struct DataChunks: ByteChunks {
    let data: Data
    let chunkSize: Int
    private var offset = 0

    init(data: Data, chunkSize: Int) {
        self.data = data
        self.chunkSize = chunkSize
    }

    mutating func next() throws -> [UInt8]? {
        guard offset < data.count else { return nil }
        let end = min(offset + chunkSize, data.count)
        defer { offset = end }
        return [UInt8](data[data.startIndex + offset..<data.startIndex + end])
    }
}
