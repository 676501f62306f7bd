public import Foundation

/// A Swift value that can be sent to PostgreSQL as a bound parameter (`$1`, `$2`, …).
///
/// Values travel in PostgreSQL's text format. `nil` text means SQL `NULL`.
public protocol PostgresBindable: Sendable {
    /// The parameter type to declare; `.unspecified` lets the server infer it from the statement.
    static var postgresBindType: PostgresType { get }
    /// The value in PostgreSQL's text input format, or `nil` for `NULL`.
    var postgresText: String? { get }
}

extension PostgresBindable {
    public static var postgresBindType: PostgresType { .unspecified }
}

extension String: PostgresBindable {
    public static var postgresBindType: PostgresType { .text }
    public var postgresText: String? { self }
}

extension Substring: PostgresBindable {
    public static var postgresBindType: PostgresType { .text }
    public var postgresText: String? { String(self) }
}

extension Int: PostgresBindable {
    public static var postgresBindType: PostgresType { .int8 }
    public var postgresText: String? { String(self) }
}

extension Int64: PostgresBindable {
    public static var postgresBindType: PostgresType { .int8 }
    public var postgresText: String? { String(self) }
}

extension Int32: PostgresBindable {
    public static var postgresBindType: PostgresType { .int4 }
    public var postgresText: String? { String(self) }
}

extension Int16: PostgresBindable {
    public static var postgresBindType: PostgresType { .int2 }
    public var postgresText: String? { String(self) }
}

extension Bool: PostgresBindable {
    public static var postgresBindType: PostgresType { .bool }
    public var postgresText: String? { self ? "t" : "f" }
}

extension Double: PostgresBindable {
    public static var postgresBindType: PostgresType { .float8 }
    public var postgresText: String? {
        if isNaN { return "NaN" }
        if isInfinite { return self > 0 ? "Infinity" : "-Infinity" }
        return String(self)
    }
}

extension UUID: PostgresBindable {
    public static var postgresBindType: PostgresType { .uuid }
    public var postgresText: String? { uuidString.lowercased() }
}

extension Date: PostgresBindable {
    public static var postgresBindType: PostgresType { .timestamptz }
    public var postgresText: String? { PostgresTimestamp.format(self) }
}

extension Optional: PostgresBindable where Wrapped: PostgresBindable {
    public static var postgresBindType: PostgresType { Wrapped.postgresBindType }
    public var postgresText: String? { self?.postgresText }
}

extension Array: PostgresBindable where Element: PostgresBindable {
    public static var postgresBindType: PostgresType {
        switch Element.postgresBindType {
        case .int8: .int8Array
        case .int4: .int4Array
        case .int2: .int2Array
        case .text: .textArray
        case .bool: .boolArray
        case .float8: .float8Array
        case .uuid: .uuidArray
        case .timestamptz: .timestamptzArray
        default: .unspecified
        }
    }

    /// The array literal `{…}` with every element quoted and escaped.
    public var postgresText: String? {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(count * 8 + 2)
        for (index, element) in enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            guard let value = element.postgresText else {
                bytes.append(contentsOf: "NULL".utf8)
                continue
            }
            bytes.append(UInt8(ascii: "\""))
            for byte in value.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A JSON document bound as `jsonb` or decoded from a `json`/`jsonb` column.
public struct PostgresJSON<Value: Codable & Sendable>: PostgresBindable, Sendable {
    /// The wrapped value.
    public var value: Value

    /// Wraps a value to be sent or received as JSON.
    public init(_ value: Value) { self.value = value }

    public static var postgresBindType: PostgresType { .jsonb }

    public var postgresText: String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// JSON text that is already encoded, bound as `jsonb` without re-encoding.
public struct PostgresRawJSON: PostgresBindable, Sendable, Hashable {
    /// The JSON text.
    public var text: String
    /// Wraps JSON text; the server validates it.
    public init(_ text: String) { self.text = text }
    public static var postgresBindType: PostgresType { .jsonb }
    public var postgresText: String? { text }
}
