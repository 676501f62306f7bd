import CLibPQ
import Foundation

extension PostgresConnection {
    /// Loads rows with `COPY table (columns) FROM STDIN` in PostgreSQL's text format.
    ///
    /// Every value is escaped, so any text is safe; `nil` is SQL `NULL`. `table` and `columns`
    /// are identifiers chosen by code and are quoted here.
    ///
    /// - Returns: the number of rows the server loaded.
    /// - Throws: ``PostgresError`` with the server's SQLSTATE when a row is rejected; nothing is loaded then.
    @discardableResult
    public func copy(into table: String, columns: [String], rows: [[String?]]) async throws -> Int {
        let connection = try liveHandle()
        let columnList = columns.map(quoteIdentifier).joined(separator: ", ")
        let statement = "COPY \(quoteQualifiedIdentifier(table)) (\(columnList)) FROM STDIN"
        _ = try check(PQexec(connection, statement), statement: statement)

        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        var sendFailure: String?
        func flush() {
            guard !buffer.isEmpty, sendFailure == nil else { return }
            let sent = buffer.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { PQputCopyData(connection, $0.baseAddress, Int32($0.count)) }
            }
            if sent != 1 { sendFailure = String(cString: PQerrorMessage(connection)).asOneLine }
            buffer.removeAll(keepingCapacity: true)
        }
        for row in rows {
            precondition(row.count == columns.count, "COPY row has \(row.count) values for \(columns.count) columns")
            for (index, value) in row.enumerated() {
                if index > 0 { buffer.append(9) }
                if let value { CopyTextFormat.appendEscaped(value, to: &buffer) } else { buffer += [92, 78] }
            }
            buffer.append(10)
            if buffer.count >= 1 << 16 { flush() }
        }
        flush()
        return try endCopy(connection, table: table, statement: statement, sendFailure: sendFailure)
    }

    /// Loads rows already encoded with ``PostgresCopyRows`` through `COPY table (columns) FROM STDIN`,
    /// sent in 64 KiB pieces.
    ///
    /// - Returns: the number of rows the server loaded.
    /// - Throws: ``PostgresError`` with the server's SQLSTATE when a row is rejected; nothing is loaded then.
    @discardableResult
    public func copy(into table: String, columns: [String], rows: PostgresCopyRows) async throws -> Int {
        try await copy(into: table, columns: columns, pieces: CollectionOfOne(rows))
    }

    /// Loads rows through `COPY table (columns) FROM STDIN`, each piece sent as soon as the
    /// sequence yields it: with a lazy sequence the server loads one piece while the next is
    /// encoded, so encoding and loading overlap instead of adding up.
    ///
    /// - Returns: the number of rows the server loaded.
    /// - Throws: ``PostgresError`` with the server's SQLSTATE when a row is rejected; nothing is loaded then.
    @discardableResult
    public func copy(into table: String, columns: [String], pieces: some Sequence<PostgresCopyRows>) async throws -> Int {
        let connection = try liveHandle()
        let columnList = columns.map(quoteIdentifier).joined(separator: ", ")
        let statement = "COPY \(quoteQualifiedIdentifier(table)) (\(columnList)) FROM STDIN"
        _ = try check(PQexec(connection, statement), statement: statement)
        var sendFailure: String?
        for rows in pieces {
            rows.bytes.withUnsafeBytes { all in
                var offset = 0
                while offset < all.count, sendFailure == nil {
                    let piece = UnsafeRawBufferPointer(rebasing: all[offset..<min(offset + (1 << 16), all.count)])
                    let sent = PQputCopyData(connection, piece.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(piece.count))
                    if sent != 1 { sendFailure = String(cString: PQerrorMessage(connection)).asOneLine }
                    offset += piece.count
                }
            }
            if sendFailure != nil { break }
        }
        return try endCopy(connection, table: table, statement: statement, sendFailure: sendFailure)
    }

    /// Ends a `COPY FROM STDIN` (aborting it when sending failed) and reads its outcome.
    private func endCopy(_ connection: OpaquePointer, table: String, statement: String, sendFailure: String?) throws -> Int {
        let ended = PQputCopyEnd(connection, sendFailure)
        var loaded = 0
        var failure: (any Error)?
        while let result = PQgetResult(connection) {
            do {
                loaded = try check(result, statement: statement).affectedRows
            } catch {
                failure = failure ?? error
            }
        }
        noteIdleState()
        if let failure { throw failure }
        if let sendFailure {
            throw PostgresError(code: .copyFailed, message: "COPY into \(table) failed: \(sendFailure)")
        }
        if ended != 1 {
            throw PostgresError(code: .copyFailed, message: "COPY into \(table) could not be finished")
        }
        return loaded
    }
}

/// Escaping for COPY's text format: backslash, tab, newline and carriage return.
enum CopyTextFormat {
    /// Appends `value` with COPY's text escapes for backslash, tab, newline and carriage return.
    /// Most values have none of those and are appended in one copy.
    static func appendEscaped(_ value: String, to buffer: inout [UInt8]) {
        var value = value
        value.withUTF8 { bytes in
            guard bytes.contains(where: { $0 == 92 || $0 == 9 || $0 == 10 || $0 == 13 }) else {
                buffer.append(contentsOf: bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case 92: buffer.append(92); buffer.append(92)
                case 9: buffer.append(92); buffer.append(116)
                case 10: buffer.append(92); buffer.append(110)
                case 13: buffer.append(92); buffer.append(114)
                default: buffer.append(byte)
                }
            }
        }
    }
}

/// `"name"` with embedded quotes doubled.
func quoteIdentifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// `"schema"."table"` for `schema.table`, or `"table"`.
func quoteQualifiedIdentifier(_ name: String) -> String {
    name.split(separator: ".", maxSplits: 1).map { quoteIdentifier(String($0)) }.joined(separator: ".")
}
