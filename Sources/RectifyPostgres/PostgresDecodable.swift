public import Foundation

/// Why a column's text could not become the requested value; wrapped into ``PostgresError``
/// with the column's name by ``PostgresRow``.
public struct PostgresDecodingFailure: Error, Sendable {
    /// What was wrong with the value.
    public var reason: String
    /// Creates a failure with a reason such as `"\"abc\" is not an integer"`.
    public init(_ reason: String) { self.reason = reason }

    static let unexpectedNull = PostgresDecodingFailure("is NULL")
}

/// A Swift type that can be decoded from a column in PostgreSQL's text format.
public protocol PostgresDecodable: Sendable {
    /// Whether a column of this PostgreSQL type can be decoded as `Self`.
    static func accepts(_ type: PostgresType) -> Bool
    /// Decodes `text` (nil for SQL `NULL`) from a column of type `type`.
    static func decode(postgresText text: String?, type: PostgresType) throws(PostgresDecodingFailure) -> Self
}

/// A decodable type whose non-null text is parsed by one function.
protocol PostgresTextDecodable: PostgresDecodable {
    static func parse(_ text: String, type: PostgresType) -> Self?
}

extension PostgresTextDecodable {
    public static func decode(postgresText text: String?, type: PostgresType) throws(PostgresDecodingFailure) -> Self {
        guard let text else { throw .unexpectedNull }
        guard let value = parse(text, type: type) else {
            throw PostgresDecodingFailure("value \"\(text.prefix(40))\" is not a valid \(Self.self)")
        }
        return value
    }
}

private let integerTypes: Set<PostgresType> = [.int2, .int4, .int8, .oid]

extension Int: PostgresTextDecodable {
    public static func accepts(_ type: PostgresType) -> Bool { integerTypes.contains(type) }
    static func parse(_ text: String, type: PostgresType) -> Int? { Int(text) }
}

extension Int64: PostgresTextDecodable {
    public static func accepts(_ type: PostgresType) -> Bool { integerTypes.contains(type) }
    static func parse(_ text: String, type: PostgresType) -> Int64? { Int64(text) }
}

extension Int32: PostgresTextDecodable {
    public static func accepts(_ type: PostgresType) -> Bool { type == .int2 || type == .int4 }
    static func parse(_ text: String, type: PostgresType) -> Int32? { Int32(text) }
}

extension Int16: PostgresTextDecodable {
    public static func accepts(_ type: PostgresType) -> Bool { type == .int2 }
    static func parse(_ text: String, type: PostgresType) -> Int16? { Int16(text) }
}

extension Double: PostgresTextDecodable {
    public static func accepts(_ type: PostgresType) -> Bool {
        type == .float4 || type == .float8 || type == .numeric || integerTypes.contains(type)
    }
    static func parse(_ text: String, type: PostgresType) -> Double? {
        switch text {
        case "NaN": .nan
        case "Infinity": .infinity
        case "-Infinity": -.infinity
        default: Double(text)
        }
    }
}

extension Bool: PostgresTextDecodable {
    public static func accepts(_ type: PostgresType) -> Bool { type == .bool }
    static func parse(_ text: String, type: PostgresType) -> Bool? {
        switch text {
        case "t": true
        case "f": false
        default: nil
        }
    }
}

private let textTypes: Set<PostgresType> = [.text, .varchar, .bpchar, .name, .unknown, .json, .jsonb, .uuid]

extension String: PostgresTextDecodable {
    /// Text-like columns, JSON, UUIDs and user-defined types (enums, domains) decode as `String`.
    public static func accepts(_ type: PostgresType) -> Bool { textTypes.contains(type) || type.isUserDefined }
    static func parse(_ text: String, type: PostgresType) -> String? { text }
}

extension UUID: PostgresTextDecodable {
    public static func accepts(_ type: PostgresType) -> Bool { type == .uuid || type == .text }
    static func parse(_ text: String, type: PostgresType) -> UUID? { UUID(uuidString: text) }
}

extension Date: PostgresTextDecodable {
    /// `timestamptz`, `timestamp` (read as UTC) and `date` (midnight UTC).
    public static func accepts(_ type: PostgresType) -> Bool {
        type == .timestamptz || type == .timestamp || type == .date
    }
    static func parse(_ text: String, type: PostgresType) -> Date? { PostgresTimestamp.parse(text) }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func accepts(_ type: PostgresType) -> Bool { Wrapped.accepts(type) }
    public static func decode(postgresText text: String?, type: PostgresType) throws(PostgresDecodingFailure) -> Self {
        guard let text else { return nil }
        return try Wrapped.decode(postgresText: text, type: type)
    }
}

extension PostgresJSON: PostgresDecodable {
    public static func accepts(_ type: PostgresType) -> Bool { type == .json || type == .jsonb || type == .text }
    public static func decode(postgresText text: String?, type: PostgresType) throws(PostgresDecodingFailure) -> Self {
        guard let text else { throw .unexpectedNull }
        do {
            return PostgresJSON(try JSONDecoder().decode(Value.self, from: Data(text.utf8)))
        } catch {
            throw PostgresDecodingFailure("holds JSON that does not match \(Value.self): \(error)")
        }
    }
}

extension Array: PostgresDecodable where Element: PostgresDecodable {
    /// One-dimensional arrays whose element type `Element` accepts.
    public static func accepts(_ type: PostgresType) -> Bool {
        type.arrayElement.map(Element.accepts) ?? false
    }

    public static func decode(postgresText text: String?, type: PostgresType) throws(PostgresDecodingFailure) -> Self {
        guard let text else { throw .unexpectedNull }
        guard let elementType = type.arrayElement, let items = PostgresArrayLiteral.split(text) else {
            throw PostgresDecodingFailure("value \"\(text.prefix(40))\" is not a one-dimensional array")
        }
        var values: [Element] = []
        values.reserveCapacity(items.count)
        for item in items {
            values.append(try Element.decode(postgresText: item, type: elementType))
        }
        return values
    }
}

/// Parses PostgreSQL's text form of a one-dimensional array: `{1,2,NULL,"a \"b\""}`.
enum PostgresArrayLiteral {
    static func split(_ text: String) -> [String?]? {
        var scalars = text.unicodeScalars[...]
        guard scalars.first == "{", scalars.last == "}" else { return nil }
        scalars = scalars.dropFirst().dropLast()
        if scalars.isEmpty { return [] }
        var items: [String?] = []
        var current = String.UnicodeScalarView()
        var quoted = false
        var wasQuoted = false
        var escaped = false
        for scalar in scalars {
            if escaped {
                current.append(scalar)
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else if scalar == "\"" {
                quoted.toggle()
                wasQuoted = true
            } else if scalar == "," && !quoted {
                items.append(finish(current, wasQuoted))
                current = String.UnicodeScalarView()
                wasQuoted = false
            } else if scalar == "{" && !quoted {
                return nil
            } else {
                current.append(scalar)
            }
        }
        items.append(finish(current, wasQuoted))
        return items
    }

    private static func finish(_ scalars: String.UnicodeScalarView, _ wasQuoted: Bool) -> String? {
        let value = String(scalars)
        return !wasQuoted && value == "NULL" ? nil : value
    }
}
