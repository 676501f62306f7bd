/// Where a record or a nested object sits in the file. Its text (`tasks[17] (id CEI2-HE-018)`)
/// is only built for an error, not for each of a million valid records.
indirect enum FieldLocation: CustomStringConvertible {
    /// Element `index` of a top-level array, with its id when it has one.
    case record(array: String, index: Int, id: String?)
    /// Element `index` of the array `field` of an object.
    case element(of: FieldLocation, field: String, index: Int)

    var description: String {
        switch self {
        case .record(let array, let index, let id): id.map { "\(array)[\(index)] (id \($0))" } ?? "\(array)[\(index)]"
        case .element(let parent, let field, let index): "\(parent).\(field)[\(index)]"
        }
    }
}

/// Reads typed fields of one JSON object, with errors located at `location.field`.
struct FieldReader {
    let members: [(key: String, value: JSONValue)]
    let location: FieldLocation

    func error(_ field: String, _ message: String) -> LedgerError {
        LedgerError(location: "\(location).\(field)", message: message)
    }

    /// The field's value; `nil` when absent or `null`.
    private func value(_ field: String) -> JSONValue? {
        guard let value = members.first(where: { $0.key == field })?.value, value != .null else { return nil }
        return value
    }

    func rejectUnknownKeys(allowed: [String]) throws(LedgerError) {
        if let unknown = members.map(\.key).filter({ !allowed.contains($0) }).sorted().first {
            throw LedgerError(location: "\(location)", message: "unknown key \"\(unknown)\"")
        }
    }

    func string(_ field: String) throws(LedgerError) -> String {
        guard let value = value(field) else { throw error(field, "is missing") }
        guard case .string(let text) = value else { throw error(field, "must be a string") }
        guard !text.isBlank else { throw error(field, "must not be empty") }
        return text
    }

    func optionalString(_ field: String) throws(LedgerError) -> String? {
        guard value(field) != nil else { return nil }
        return try string(field)
    }

    func day(_ field: String) throws(LedgerError) -> Day {
        let text = try string(field)
        guard let day = Day(text) else { throw error(field, "\"\(text)\" is not a date") }
        return day
    }

    func optionalDay(_ field: String) throws(LedgerError) -> Day? {
        guard value(field) != nil else { return nil }
        return try day(field)
    }

    func integer(_ field: String, in range: ClosedRange<Int>) throws(LedgerError) -> Int {
        guard let value = value(field) else { throw error(field, "is missing") }
        guard case .integer(let number) = value else { throw error(field, "must be a whole number") }
        guard range.contains(number) else {
            throw error(field, "\(number) is outside \(range.lowerBound)–\(range.upperBound)")
        }
        return number
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

    /// The elements of the array `field`, which must be present.
    private func elements(_ field: String) throws(LedgerError) -> [JSONValue] {
        guard let value = value(field) else { throw error(field, "is missing") }
        guard case .array(let items) = value else { throw error(field, "must be an array") }
        return items
    }

    func objects(_ field: String) throws(LedgerError) -> [FieldReader] {
        var readers: [FieldReader] = []
        for (index, item) in try elements(field).enumerated() {
            guard case .object(let members) = item else { throw error("\(field)[\(index)]", "must be an object") }
            readers.append(FieldReader(members: members, location: .element(of: location, field: field, index: index)))
        }
        return readers
    }

    func strings(_ field: String) throws(LedgerError) -> [String] {
        var strings: [String] = []
        for (index, item) in try elements(field).enumerated() {
            guard case .string(let text) = item, !text.isEmpty else { throw error("\(field)[\(index)]", "must be a non-empty string") }
            strings.append(text)
        }
        return strings
    }
}
