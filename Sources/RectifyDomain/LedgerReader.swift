public import Foundation

/// Reads a ledger interchange file (`rectify-ledger/1`, SPEC.md) as a stream of batches.
///
/// The file is read a chunk at a time and each record is parsed on its own, so a file of a
/// million records never sits in memory whole. Each record is checked against the rules that
/// involve only itself; the first problem stops the read with a ``LedgerError`` naming the
/// array, the index, the id and the field. Rules across records (duplicate ids, references)
/// need every record and the database: the importer checks them before it writes anything.
public struct LedgerReader {
    /// The only format this reader accepts.
    public static let format = "rectify-ledger/1"

    /// The arrays of a ledger file, in the order references require.
    public static let arrays = ["regions", "units", "rounds", "tasks", "petitions", "accountability"]

    private enum Position {
        case start, key, element(array: String, index: Int), afterValue, finished
    }

    private var scanner: JSONScanner
    private var position = Position.start
    private var keysSeen: Set<String> = []
    private var format: String?

    /// The file's size in bytes, when known.
    public let totalBytes: Int?
    /// How many bytes have been read so far.
    public var bytesRead: Int { scanner.offset }
    /// How many records have been read so far.
    public private(set) var recordsRead = 0

    /// A reader of the file at `path`, which may also be a pipe (its size is then unknown).
    /// `eachChunk` sees every byte of the file in order, on the thread that calls ``next(limit:)``,
    /// as it is read: the file is read once, so whatever else needs its bytes (a digest, say)
    /// takes them here.
    public init(contentsOf path: String, eachChunk: (@Sendable ([UInt8]) -> Void)? = nil) throws(LedgerError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw LedgerError(location: LedgerError.wholeFile, message: "cannot be opened for reading")
        }
        // The opened file's own status, so that a link or /dev/stdin counts as what it leads to.
        var status = stat()
        let isRegular = fstat(handle.fileDescriptor, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
        totalBytes = isRegular ? Int(status.st_size) : nil
        scanner = JSONScanner(FileChunks(handle: handle, eachChunk: eachChunk))
    }

    /// A reader of a file already in memory, read as if from a file in chunks of `chunkSize`.
    public init(data: Data, chunkSize: Int = 1 << 20) {
        totalBytes = data.count
        scanner = JSONScanner(DataChunks(data: data, chunkSize: chunkSize))
    }

    /// Reads and checks a whole file held in memory (record rules only, see the type's notes).
    public static func read(_ data: Data) throws(LedgerError) -> Ledger {
        var reader = LedgerReader(data: data)
        var ledger = Ledger()
        while let batch = try reader.next() { ledger.append(batch) }
        return ledger
    }

    /// The next batch of at most `limit` records of one array, or `nil` once the whole file
    /// has been read and found well-formed.
    public mutating func next(limit: Int = 10_000) throws(LedgerError) -> LedgerBatch? {
        do {
            while true {
                switch position {
                case .start:
                    try scanner.expect(UInt8(ascii: "{"), "'{' (the file must hold one JSON object)")
                    if try scanner.skip(UInt8(ascii: "}")) { try finish() } else { position = .key }
                case .key:
                    try readKey()
                case .element(let array, let index):
                    return try readBatch(of: array, from: index, limit: limit)
                case .afterValue:
                    if try scanner.skip(UInt8(ascii: ",")) {
                        position = .key
                    } else {
                        try scanner.expect(UInt8(ascii: "}"), "',' or '}'")
                        try finish()
                    }
                case .finished:
                    return nil
                }
            }
        } catch let error as JSONScanner.SyntaxError {
            throw LedgerError(location: LedgerError.wholeFile, message: "is not valid JSON (\(error.message))")
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError(location: LedgerError.wholeFile, message: "cannot be read (\(error.localizedDescription))")
        }
    }

    /// Reads one top-level key and the start of its value.
    private mutating func readKey() throws {
        guard case .string(let key) = try parseValue(scanner.value(), in: "the file") else {
            throw LedgerError(location: LedgerError.wholeFile, message: "is not valid JSON (expected a key in quotes)")
        }
        guard key == "format" || Self.arrays.contains(key) else {
            throw LedgerError(location: LedgerError.wholeFile, message: "has an unknown key \"\(key)\"")
        }
        guard keysSeen.insert(key).inserted else {
            throw LedgerError(location: LedgerError.wholeFile, message: "has the key \"\(key)\" twice")
        }
        try scanner.expect(UInt8(ascii: ":"), "':' after \"\(key)\"")
        if key == "format" {
            guard case .string(let text) = try parseValue(scanner.value(), in: "format") else {
                throw LedgerError(location: "format", message: "must be a string")
            }
            format = text
            position = .afterValue
        } else if try scanner.peek() == UInt8(ascii: "n") {
            guard try scanner.value() == Array("null".utf8) else { throw LedgerError(location: key, message: "must be an array") }
            position = .afterValue
        } else {
            try scanner.expect(UInt8(ascii: "["), "'[' (\(key) must be an array)")
            position = try scanner.skip(UInt8(ascii: "]")) ? .afterValue : .element(array: key, index: 0)
        }
    }

    /// Reads up to `limit` elements of `array`, starting at element `index`.
    private mutating func readBatch(of array: String, from index: Int, limit: Int) throws -> LedgerBatch {
        switch array {
        case "regions": LedgerBatch(firstIndex: index, records: .regions(try readRecords(array, index, limit, RecordParsers.region)))
        case "units": LedgerBatch(firstIndex: index, records: .units(try readRecords(array, index, limit, RecordParsers.unit)))
        case "rounds": LedgerBatch(firstIndex: index, records: .rounds(try readRecords(array, index, limit, RecordParsers.round)))
        case "tasks": LedgerBatch(firstIndex: index, records: .tasks(try readRecords(array, index, limit, RecordParsers.task)))
        case "petitions":
            LedgerBatch(firstIndex: index, records: .petitions(try readRecords(array, index, limit, RecordParsers.petition)))
        default:
            LedgerBatch(firstIndex: index, records: .accountability(try readRecords(array, index, limit, RecordParsers.accountability)))
        }
    }

    private mutating func readRecords<Record>(
        _ array: String, _ first: Int, _ limit: Int, _ parse: (FieldReader) throws(LedgerError) -> Record
    ) throws -> [Record] {
        var batch: [Record] = []
        batch.reserveCapacity(limit)
        var index = first
        while true {
            guard case .object(let members) = try parseValue(scanner.value(), in: "\(array)[\(index)]") else {
                throw LedgerError(location: "\(array)[\(index)]", message: "must be an object")
            }
            var id: String?
            if case .string(let text)? = members.first(where: { $0.key == "id" || $0.key == "code" })?.value { id = text }
            batch.append(try parse(FieldReader(members: members, location: .record(array: array, index: index, id: id))))
            index += 1
            if try scanner.skip(UInt8(ascii: ",")) {
                guard batch.count < limit else {
                    position = .element(array: array, index: index)
                    break
                }
            } else {
                try scanner.expect(UInt8(ascii: "]"), "',' or ']' after \(array)[\(index - 1)]")
                position = .afterValue
                break
            }
        }
        recordsRead += batch.count
        return batch
    }

    /// Parses the bytes of one value; `location` names it in errors.
    private func parseValue(_ bytes: [UInt8], in location: @autoclosure () -> String) throws(LedgerError) -> JSONValue {
        do throws(JSONValue.ParseError) {
            return try JSONValue.parse(bytes)
        } catch {
            switch error {
            case .invalidUTF8: throw LedgerError(location: location(), message: "is not valid UTF-8")
            case .syntax(let detail): throw LedgerError(location: LedgerError.wholeFile, message: "is not valid JSON (\(location()): \(detail))")
            }
        }
    }

    /// After the closing brace: nothing may follow, and the format must have been given.
    private mutating func finish() throws {
        if try scanner.peek() != nil { throw scanner.unexpected("the end of the file after the closing '}'") }
        guard let format else { throw LedgerError(location: "format", message: "is missing") }
        guard format == Self.format else {
            throw LedgerError(location: "format", message: "\"\(format)\" is not supported (expected \"\(Self.format)\")")
        }
        position = .finished
    }
}

/// Up to a few thousand records of one array, read in file order.
public struct LedgerBatch: Sendable {
    /// The records of one array.
    public enum Records: Sendable {
        case regions([Region])
        case units([ResponsibleUnit])
        case rounds([InspectionRound])
        case tasks([RectificationTask])
        case petitions([Petition])
        case accountability([AccountabilityCase])
    }

    /// The name of the records' array in the file.
    public var array: String {
        switch records {
        case .regions: "regions"
        case .units: "units"
        case .rounds: "rounds"
        case .tasks: "tasks"
        case .petitions: "petitions"
        case .accountability: "accountability"
        }
    }

    /// How many records the batch holds.
    public var count: Int {
        switch records {
        case .regions(let records): records.count
        case .units(let records): records.count
        case .rounds(let records): records.count
        case .tasks(let records): records.count
        case .petitions(let records): records.count
        case .accountability(let records): records.count
        }
    }

    /// The index in its array of the batch's first record.
    public var firstIndex: Int
    /// The records.
    public var records: Records

    /// Creates a batch.
    public init(firstIndex: Int, records: Records) {
        self.firstIndex = firstIndex
        self.records = records
    }
}

extension Ledger {
    /// Adds a batch's records to their array.
    public mutating func append(_ batch: LedgerBatch) {
        switch batch.records {
        case .regions(let records): regions += records
        case .units(let records): units += records
        case .rounds(let records): rounds += records
        case .tasks(let records): tasks += records
        case .petitions(let records): petitions += records
        case .accountability(let records): accountability += records
        }
    }

    /// The ledger as batches, one per array, in the order references require.
    public var batches: [LedgerBatch] {
        let all: [LedgerBatch.Records] = [
            .regions(regions), .units(units), .rounds(rounds), .tasks(tasks), .petitions(petitions), .accountability(accountability),
        ]
        return all.map { LedgerBatch(firstIndex: 0, records: $0) }
    }
}
