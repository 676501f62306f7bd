public import Foundation

/// Reads and validates a ledger interchange file (`rectify-ledger/1`, SPEC.md).
///
/// All-or-nothing: the first invalid record stops the read with a ``LedgerError`` naming the
/// array, the index, the id and the field, and no ledger is returned. References must name a
/// record in the same file or in `known` (already in the database).
public enum LedgerReader {
    /// The only format this reader accepts.
    public static let format = "rectify-ledger/1"

    private static let arrays = ["regions", "units", "rounds", "tasks", "petitions", "accountability"]

    /// Parses and validates `data`.
    public static func read(_ data: Data, known: KnownRecords = KnownRecords()) throws(LedgerError) -> Ledger {
        let top = try topLevelObject(data)
        let file = FieldReader(object: top, location: "the file")
        try file.rejectUnknownKeys(allowed: ["format"] + arrays)
        let format = try file.string("format")
        guard format == Self.format else {
            throw LedgerError(location: "format", message: "\"\(format)\" is not supported (expected \"\(Self.format)\")")
        }
        var ledger = Ledger()
        ledger.regions = try records(top, "regions", RecordParsers.region)
        ledger.units = try records(top, "units", RecordParsers.unit)
        ledger.rounds = try records(top, "rounds", RecordParsers.round)
        ledger.tasks = try records(top, "tasks", RecordParsers.task)
        ledger.petitions = try records(top, "petitions", RecordParsers.petition)
        ledger.accountability = try records(top, "accountability", RecordParsers.accountability)
        try LedgerReferences(ledger: ledger, known: known).check()
        return ledger
    }

    private static func topLevelObject(_ data: Data) throws(LedgerError) -> [String: Any] {
        guard String(validating: data, as: UTF8.self) != nil else {
            throw LedgerError(location: "the file", message: "is not valid UTF-8")
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            throw LedgerError(location: "the file", message: "is not valid JSON (\(detail ?? "truncated or malformed"))")
        }
        guard let object = parsed as? [String: Any] else {
            throw LedgerError(location: "the file", message: "must hold one JSON object")
        }
        return object
    }

    /// Parses one array of records, rejecting duplicate ids.
    private static func records<Record>(
        _ top: [String: Any], _ name: String, _ parse: (FieldReader) throws(LedgerError) -> (id: String, record: Record)
    ) throws(LedgerError) -> [Record] {
        guard let value = top[name], !(value is NSNull) else { return [] }
        guard let items = value as? [Any] else { throw LedgerError(location: name, message: "must be an array") }
        var seen: [String: Int] = [:]
        var records: [Record] = []
        records.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            let bare = "\(name)[\(index)]"
            guard let object = item as? [String: Any] else { throw LedgerError(location: bare, message: "must be an object") }
            let id = (object["id"] ?? object["code"]) as? String
            let location = id.map { "\(bare) (id \($0))" } ?? bare
            let (recordID, record) = try parse(FieldReader(object: object, location: location))
            if let first = seen[recordID] {
                throw LedgerError(location: location, message: "duplicates the id of \(name)[\(first)]")
            }
            seen[recordID] = index
            records.append(record)
        }
        return records
    }
}

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
