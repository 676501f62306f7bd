public import Foundation
public import RectifyDomain
public import RectifyLedger

/// Strict reading of JSON request bodies: one object, known fields only, exact types, read with
/// the domain's own parser (``JSONValue``), which keeps integers, booleans and strings apart.
/// Errors are ``ProgressError``s naming the field.
public enum JSONBody {
    /// A JSON object's members, in the body's order.
    public typealias Object = [(key: String, value: JSONValue)]

    /// The body as a JSON object.
    ///
    /// - Throws: ``ProgressError`` `malformed_json` when it is not valid JSON or not an object.
    public static func object(_ body: Data) throws(ProgressError) -> Object {
        guard !body.isEmpty else { throw ProgressError(.malformedJSON, "the body is empty; send a JSON object") }
        let value: JSONValue
        do {
            value = try JSONValue.parse(Array(body))
        } catch {
            throw ProgressError(.malformedJSON, "the body is not valid JSON")
        }
        guard case .object(let members) = value else { throw ProgressError(.malformedJSON, "the body must be a JSON object") }
        return members
    }

    /// The value of `field`, or `nil` when the object has no such member.
    public static func member(_ object: Object, _ field: String) -> JSONValue? {
        object.first { $0.key == field }?.value
    }

    /// Refuses the first field (in sorted order) that is not in `allowed`.
    public static func rejectUnknown(_ object: Object, allowed: [String], prefix: String = "") throws(ProgressError) {
        if let unknown = object.map(\.key).filter({ !allowed.contains($0) }).sorted().first {
            throw ProgressError(.unknownField, "unknown field; allowed: \(allowed.joined(separator: ", "))", field: prefix + unknown)
        }
    }

    /// A required, non-blank string of at most `maxLength` characters, without control
    /// characters (but tabs and line breaks in free text, `lineBreaks`).
    public static func string(
        _ object: Object, _ field: String, maxLength: Int, lineBreaks: Bool = false, prefix: String = ""
    ) throws(ProgressError) -> String {
        guard let text = try optionalString(object, field, maxLength: maxLength, lineBreaks: lineBreaks, prefix: prefix) else {
            throw ProgressError(.invalidField, "is missing", field: prefix + field)
        }
        guard !text.isBlank else {
            throw ProgressError(.invalidField, "must not be empty", field: prefix + field)
        }
        return text
    }

    /// An optional string (absent or `null` is `nil`) of at most `maxLength` characters. It may
    /// hold no control character (libpq takes C strings, and a NUL would cut it short); free
    /// text (`lineBreaks`) may hold tabs and line breaks.
    public static func optionalString(
        _ object: Object, _ field: String, maxLength: Int, lineBreaks: Bool = false, prefix: String = ""
    ) throws(ProgressError) -> String? {
        switch member(object, field) {
        case nil, .null?:
            return nil
        case .string(let text)?:
            guard text.count <= maxLength else {
                throw ProgressError(.invalidField, "must be at most \(maxLength) characters", field: prefix + field)
            }
            if let control = ControlCharacters.first(in: text, lineBreaks: lineBreaks) {
                let code = "U+" + String(control.value, radix: 16, uppercase: true).leftPadded(to: 4)
                throw ProgressError(.controlCharacter, "must not hold the control character \(code)"
                    + (lineBreaks ? " (tabs and line breaks are allowed)" : ""), field: prefix + field)
            }
            return text
        default:
            throw ProgressError(.invalidField, "must be a string", field: prefix + field)
        }
    }

    /// A required whole number below 10⁹ in size (`55.0` counts as 55). `true`, `55.5` and
    /// `"55"` are refused.
    public static func integer(_ object: Object, _ field: String, prefix: String = "") throws(ProgressError) -> Int {
        switch member(object, field) {
        case nil, .null?:
            throw ProgressError(.invalidField, "is missing", field: prefix + field)
        case .integer(let number)? where abs(number) < 1_000_000_000:
            return number
        case .number(let number)? where number.isFinite && number == number.rounded() && abs(number) < 1e9:
            return Int(number)
        default:
            throw ProgressError(.invalidField, "must be a whole number", field: prefix + field)
        }
    }
}

extension String {
    /// The string with zeros before it up to `width` characters: "0" → "0000".
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
