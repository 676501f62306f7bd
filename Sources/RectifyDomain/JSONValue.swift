/// A JSON value parsed straight into Swift types: the ledger's records and the API's request
/// bodies (``parse(_:)``), rectify's one strict JSON reader.
///
/// Foundation's parser hands back `NSString`s and `NSNumber`s; converting those per field
/// cost more than the parse itself on a million-record file, and on Linux `0` and `1` come back
/// as values that pass `is Bool`. This parser keeps integers, booleans and strings apart.
public enum JSONValue: Equatable, Sendable {
    case string(String)
    case integer(Int)
    /// A number with a fraction or exponent, or too large for `Int`.
    case number(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    /// Members in file order; objects of the ledger are small, so lookups scan.
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
        default: false
        }
    }

    /// Why bytes are not one JSON value.
    public enum ParseError: Error, Equatable {
        /// A string holds bytes that are not UTF-8.
        case invalidUTF8
        /// Anything else, described.
        case syntax(String)
    }

    /// A byte as an error shows it: `'x'` when printable, else `byte 0xFF`.
    static func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(UnicodeScalar(byte)))'" : "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    /// Parses exactly one JSON value from `bytes` (whitespace around it allowed).
    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(ParseError) in
            var parser = Parser(bytes: buffer)
            let value = try parser.value(depth: 0)
            parser.skipWhitespace()
            guard parser.index == buffer.count else { throw parser.unexpected("the end of the value") }
            return value
        }
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        /// Nesting deeper than this is refused rather than risking the stack.
        static let maximumDepth = 64

        mutating func skipWhitespace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
                index += 1
            }
        }

        func unexpected(_ what: String) -> ParseError {
            guard index < bytes.count else { return .syntax("it ends where \(what) should come") }
            return .syntax("expected \(what) but found \(JSONValue.describe(bytes[index]))")
        }

        mutating func value(depth: Int) throws(ParseError) -> JSONValue {
            guard depth < Self.maximumDepth else { throw .syntax("values are nested more than \(Self.maximumDepth) deep") }
            skipWhitespace()
            guard index < bytes.count else { throw unexpected("a value") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default: return try number()
            }
        }

        private mutating func object(depth: Int) throws(ParseError) -> JSONValue {
            index += 1
            var members: [(key: String, value: JSONValue)] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw unexpected("a key in quotes") }
                let key = try string()
                guard !members.contains(where: { $0.key == key }) else { throw .syntax("the key \"\(key)\" appears twice in one object") }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw unexpected("':'") }
                index += 1
                members.append((key, try value(depth: depth + 1)))
                skipWhitespace()
                guard index < bytes.count else { throw unexpected("',' or '}'") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                guard bytes[index] == UInt8(ascii: "}") else { throw unexpected("',' or '}'") }
                index += 1
                return .object(members)
            }
        }

        private mutating func array(depth: Int) throws(ParseError) -> JSONValue {
            index += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            while true {
                elements.append(try value(depth: depth + 1))
                skipWhitespace()
                guard index < bytes.count else { throw unexpected("',' or ']'") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                guard bytes[index] == UInt8(ascii: "]") else { throw unexpected("',' or ']'") }
                index += 1
                return .array(elements)
            }
        }

        private mutating func literal(_ word: String) throws(ParseError) {
            for byte in word.utf8 {
                guard index < bytes.count, bytes[index] == byte else { throw unexpected("a value") }
                index += 1
            }
        }

        private mutating func number() throws(ParseError) -> JSONValue {
            let start = index
            func digits(_ parser: inout Parser) -> Int {
                let from = parser.index
                while parser.index < parser.bytes.count, (0x30...0x39).contains(parser.bytes[parser.index]) { parser.index += 1 }
                return parser.index - from
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            let integerDigits = digits(&self)
            guard integerDigits > 0 else { index = start; throw unexpected("a value") }
            guard integerDigits == 1 || bytes[index - integerDigits] != UInt8(ascii: "0") else {
                throw .syntax("a number may not start with 0")
            }
            var isInteger = true
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                isInteger = false
                guard digits(&self) > 0 else { throw unexpected("a digit after '.'") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                isInteger = false
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard digits(&self) > 0 else { throw unexpected("a digit in the exponent") }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            if isInteger, let integer = Int(text) { return .integer(integer) }
            return .number(Double(text) ?? .infinity)
        }

        /// A string whose opening quote is at `index`; leaves `index` after the closing quote.
        private mutating func string() throws(ParseError) -> String {
            index += 1
            let start = index
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    defer { index += 1 }
                    return try decoded(UnsafeBufferPointer(rebasing: bytes[start..<index]))
                case UInt8(ascii: "\\"):
                    return try escapedString(from: start)
                case 0..<0x20:
                    throw .syntax("a control character must be escaped inside a string")
                default:
                    index += 1
                }
            }
            throw .syntax("it ends inside a string")
        }

        /// The slow path, for strings with backslash escapes.
        private mutating func escapedString(from start: Int) throws(ParseError) -> String {
            var text = Array(bytes[start..<index])
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return try text.withUnsafeBufferPointer { buffer throws(ParseError) in try decoded(buffer) }
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { break }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escape)
                    case UInt8(ascii: "b"): text.append(0x08)
                    case UInt8(ascii: "f"): text.append(0x0C)
                    case UInt8(ascii: "n"): text.append(0x0A)
                    case UInt8(ascii: "r"): text.append(0x0D)
                    case UInt8(ascii: "t"): text.append(0x09)
                    case UInt8(ascii: "u"): text.append(contentsOf: String(try unicodeEscape()).utf8)
                    default: throw .syntax("\\\(Character(UnicodeScalar(escape))) is not an escape")
                    }
                case 0..<0x20:
                    throw .syntax("a control character must be escaped inside a string")
                default:
                    text.append(byte)
                }
            }
            throw .syntax("it ends inside a string")
        }

        /// The character of a `\uXXXX` escape (after the `u`), joining a surrogate pair.
        private mutating func unicodeEscape() throws(ParseError) -> Character {
            let high = try hexQuad()
            if (0xD800...0xDBFF).contains(high) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw .syntax("a lone surrogate \\u\(String(high, radix: 16)) is not a character")
                }
                index += 2
                let low = try hexQuad()
                guard (0xDC00...0xDFFF).contains(low) else { throw .syntax("a lone surrogate is not a character") }
                return Character(UnicodeScalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!)
            }
            guard let scalar = UnicodeScalar(high) else { throw .syntax("a lone surrogate is not a character") }
            return Character(scalar)
        }

        private mutating func hexQuad() throws(ParseError) -> UInt32 {
            guard index + 4 <= bytes.count else { throw .syntax("it ends inside a \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8 = switch byte {
                case 0x30...0x39: byte - 0x30
                case 0x41...0x46: byte - 0x41 + 10
                case 0x61...0x66: byte - 0x61 + 10
                default: throw .syntax("\\u must be followed by four hex digits")
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }

        private func decoded(_ utf8: UnsafeBufferPointer<UInt8>) throws(ParseError) -> String {
            guard let text = String(validating: utf8, as: UTF8.self) else { throw .invalidUTF8 }
            return text
        }
    }
}
