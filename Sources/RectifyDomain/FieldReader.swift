import Foundation

/// Reads typed fields of one JSON object, with errors located at `location.field`.
struct FieldReader {
    let object: [String: Any]
    let location: String

    func error(_ field: String, _ message: String) -> LedgerError {
        LedgerError(location: "\(location).\(field)", message: message)
    }

    func rejectUnknownKeys(allowed: [String]) throws(LedgerError) {
        let allowedKeys = Set(allowed)
        if let unknown = object.keys.sorted().first(where: { !allowedKeys.contains($0) }) {
            throw LedgerError(location: location, message: "unknown key \"\(unknown)\"")
        }
    }

    func string(_ field: String) throws(LedgerError) -> String {
        guard let value = object[field], !(value is NSNull) else { throw error(field, "is missing") }
        guard let text = value as? String else { throw error(field, "must be a string") }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw error(field, "must not be empty") }
        return text
    }

    func optionalString(_ field: String) throws(LedgerError) -> String? {
        guard let value = object[field], !(value is NSNull) else { return nil }
        return try string(field)
    }

    func day(_ field: String) throws(LedgerError) -> Day {
        let text = try string(field)
        guard let day = Day(text) else { throw error(field, "\"\(text)\" is not a date") }
        return day
    }

    func optionalDay(_ field: String) throws(LedgerError) -> Day? {
        guard let value = object[field], !(value is NSNull) else { return nil }
        return try day(field)
    }

    func integer(_ field: String, in range: ClosedRange<Int>) throws(LedgerError) -> Int {
        guard let value = object[field], !(value is NSNull) else { throw error(field, "is missing") }
        guard !Self.isBoolean(value), let number = value as? Int else { throw error(field, "must be a whole number") }
        guard range.contains(number) else {
            throw error(field, "\(number) is outside \(range.lowerBound)–\(range.upperBound)")
        }
        return number
    }

    /// JSON `true`/`false`. Foundation hands every JSON number over as `NSNumber`, and `0` and
    /// `1` pass `is Bool`; booleans alone carry the C type "c".
    static func isBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return value is Bool }
        return String(cString: number.objCType) == "c"
    }

    func choice<Value: RawRepresentable & CaseIterable>(_ field: String, _ type: Value.Type) throws(LedgerError) -> Value
    where Value.RawValue == String {
        let text = try string(field)
        guard let value = Value(rawValue: text) else {
            let allowed = Value.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw error(field, "\"\(text)\" is not one of \(allowed)")
        }
        return value
    }

    func objects(_ field: String) throws(LedgerError) -> [FieldReader] {
        guard let value = object[field], !(value is NSNull) else { throw error(field, "is missing") }
        guard let items = value as? [Any] else { throw error(field, "must be an array") }
        var readers: [FieldReader] = []
        for (index, item) in items.enumerated() {
            guard let object = item as? [String: Any] else { throw error("\(field)[\(index)]", "must be an object") }
            readers.append(FieldReader(object: object, location: "\(location).\(field)[\(index)]"))
        }
        return readers
    }

    func strings(_ field: String) throws(LedgerError) -> [String] {
        guard let value = object[field], !(value is NSNull) else { throw error(field, "is missing") }
        guard let items = value as? [Any] else { throw error(field, "must be an array") }
        var strings: [String] = []
        for (index, item) in items.enumerated() {
            guard let text = item as? String, !text.isEmpty else { throw error("\(field)[\(index)]", "must be a non-empty string") }
            strings.append(text)
        }
        return strings
    }
}
