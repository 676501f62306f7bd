public import Foundation

/// Strict reading of JSON request bodies: one object, known fields only, exact types.
/// Errors are ``ProgressError``s naming the field.
public enum JSONBody {
    /// The body as a JSON object.
    ///
    /// - Throws: ``ProgressError`` `malformed_json` when it is not valid JSON or not an object.
    public static func object(_ body: Data) throws(ProgressError) -> [String: Any] {
        guard !body.isEmpty else { throw ProgressError(.malformedJSON, "the body is empty; send a JSON object") }
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
        } catch {
            throw ProgressError(.malformedJSON, "the body is not valid JSON")
        }
        guard let object = value as? [String: Any] else { throw ProgressError(.malformedJSON, "the body must be a JSON object") }
        return object
    }

    /// Refuses the first field (in sorted order) that is not in `allowed`.
    public static func rejectUnknown(_ object: [String: Any], allowed: [String], prefix: String = "") throws(ProgressError) {
        if let unknown = object.keys.filter({ !allowed.contains($0) }).sorted().first {
            throw ProgressError(.unknownField, "unknown field; allowed: \(allowed.joined(separator: ", "))", field: prefix + unknown)
        }
    }

    /// A required, non-blank string of at most `maxLength` characters.
    public static func string(
        _ object: [String: Any], _ field: String, maxLength: Int, prefix: String = ""
    ) throws(ProgressError) -> String {
        guard let text = try optionalString(object, field, maxLength: maxLength, prefix: prefix) else {
            throw ProgressError(.invalidField, "is missing", field: prefix + field)
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ProgressError(.invalidField, "must not be empty", field: prefix + field)
        }
        return text
    }

    /// An optional string (absent or `null` is `nil`) of at most `maxLength` characters.
    public static func optionalString(
        _ object: [String: Any], _ field: String, maxLength: Int, prefix: String = ""
    ) throws(ProgressError) -> String? {
        guard let value = object[field], !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw ProgressError(.invalidField, "must be a string", field: prefix + field) }
        guard text.count <= maxLength else {
            throw ProgressError(.invalidField, "must be at most \(maxLength) characters", field: prefix + field)
        }
        return text
    }

    /// A required whole number. `true`, `55.5` and `"55"` are refused.
    public static func integer(_ object: [String: Any], _ field: String, prefix: String = "") throws(ProgressError) -> Int {
        guard let value = object[field], !(value is NSNull) else { throw ProgressError(.invalidField, "is missing", field: prefix + field) }
        guard !(value is String), let number = value as? NSNumber, !isBoolean(number) else {
            throw ProgressError(.invalidField, "must be a whole number", field: prefix + field)
        }
        let double = number.doubleValue
        guard double.isFinite, double == double.rounded(), abs(double) < 1e9 else {
            throw ProgressError(.invalidField, "must be a whole number", field: prefix + field)
        }
        return Int(double)
    }

    private static func isBoolean(_ number: NSNumber) -> Bool {
        // Foundation represents JSON true and false as NSNumber of type "c" (char); `is Bool` is
        // no test, since NSNumber 0 and 1 bridge to Bool as well.
        String(cString: number.objCType) == "c"
    }
}
