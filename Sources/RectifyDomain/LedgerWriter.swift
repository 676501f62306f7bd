public import Foundation

/// Writes a ledger interchange file (`rectify-ledger/1`) a record at a time, so that a
/// generated national ledger goes to disk without being built in memory first.
public struct LedgerWriter {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    /// Bytes written so far.
    public private(set) var bytesWritten = 0

    /// Starts the file on `handle` (the format line).
    public init(handle: FileHandle) {
        self.handle = handle
        append("{\"format\": \"\(LedgerReader.format)\"")
    }

    /// Writes one array of the file: `name` and every record `records` yields, in order.
    public mutating func writeArray<Records: Sequence>(_ name: String, _ records: Records) throws
    where Records.Element: LedgerJSONRecord {
        append(",\n\"\(name)\": [")
        var first = true
        for record in records {
            append(first ? "\n" : ",\n")
            first = false
            var object = JSONObjectText()
            record.writeFields(into: &object)
            append(object.closed)
            if buffer.count >= 1 << 20 { try flush() }
        }
        append("]")
    }

    /// Closes the top-level object and writes what is buffered.
    public mutating func finish() throws {
        append("}\n")
        try flush()
    }

    private mutating func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    private mutating func flush() throws {
        try handle.write(contentsOf: buffer)
        bytesWritten += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}

/// A record that knows its fields in the interchange file.
public protocol LedgerJSONRecord {
    /// Adds the record's fields, with the SPEC's names, to `object`.
    func writeFields(into object: inout JSONObjectText)
}

/// A JSON object written as text, field by field.
public struct JSONObjectText {
    private var text = "{"
    private var empty = true

    /// The object so far, closed.
    public var closed: String { text + "}" }

    /// Adds a string field, or `null` for `nil`.
    public mutating func add(_ key: String, _ value: String?) {
        field(key, value.map(Self.quoted) ?? "null")
    }

    /// Adds a number field.
    public mutating func add(_ key: String, _ value: Int) {
        field(key, String(value))
    }

    /// Adds a date field (`YYYY-MM-DD`), or `null` for `nil`.
    public mutating func add(_ key: String, _ value: Day?) {
        add(key, value.map { "\($0)" })
    }

    /// Adds an array of strings.
    public mutating func add(_ key: String, _ values: [String]) {
        field(key, "[" + values.map(Self.quoted).joined(separator: ", ") + "]")
    }

    /// Adds an array of objects.
    public mutating func add(_ key: String, _ values: [some LedgerJSONRecord]) {
        let objects = values.map { value in
            var object = JSONObjectText()
            value.writeFields(into: &object)
            return object.closed
        }
        field(key, "[" + objects.joined(separator: ", ") + "]")
    }

    private mutating func field(_ key: String, _ json: String) {
        text += (empty ? "" : ", ") + Self.quoted(key) + ": " + json
        empty = false
    }

    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension Region: LedgerJSONRecord {
    public func writeFields(into object: inout JSONObjectText) {
        object.add("code", code)
        object.add("name", name)
        object.add("level", level.rawValue)
        object.add("parent", parent)
    }
}

extension ResponsibleUnit: LedgerJSONRecord {
    public func writeFields(into object: inout JSONObjectText) {
        object.add("id", id)
        object.add("name", name)
        object.add("region", region)
        object.add("kind", kind.rawValue)
    }
}

extension InspectionRound: LedgerJSONRecord {
    public func writeFields(into object: inout JSONObjectText) {
        object.add("id", id)
        object.add("name", name)
        object.add("group", group)
        object.add("region", region)
        object.add("inspected_from", inspectedFrom)
        object.add("inspected_to", inspectedTo)
        object.add("feedback_on", feedbackOn)
    }
}

extension RectificationTask: LedgerJSONRecord {
    public func writeFields(into object: inout JSONObjectText) {
        object.add("id", id)
        object.add("round", round)
        object.add("title", title)
        object.add("category", category.rawValue)
        object.add("region", region)
        object.add("lead_unit", leadUnit)
        object.add("deadline", deadline)
        object.add("status", status.rawValue)
        object.add("progress", progress)
        object.add("closed_on", closedOn)
    }
}

extension Petition: LedgerJSONRecord {
    public func writeFields(into object: inout JSONObjectText) {
        object.add("id", id)
        object.add("round", round)
        object.add("region", region)
        object.add("received_on", receivedOn)
        object.add("category", category.rawValue)
        object.add("status", status.rawValue)
        object.add("closed_on", closedOn)
    }
}

extension HeldPerson: LedgerJSONRecord {
    public func writeFields(into object: inout JSONObjectText) {
        object.add("name", name)
        object.add("position", position)
        object.add("rank", rank.rawValue)
        object.add("sanction", sanction.rawValue)
    }
}

extension AccountabilityCase: LedgerJSONRecord {
    public func writeFields(into object: inout JSONObjectText) {
        object.add("id", id)
        object.add("round", round)
        object.add("region", region)
        object.add("source", source.rawValue)
        object.add("opened_on", openedOn)
        object.add("concluded_on", concludedOn)
        object.add("units", units)
        object.add("persons", persons)
    }
}
