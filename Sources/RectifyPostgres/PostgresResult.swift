import CLibPQ

/// The rows a statement returned. Owns one libpq `PGresult` and frees it when released.
///
/// `@unchecked Sendable`: a `PGresult` is never modified after libpq hands it over, and libpq
/// documents completed results as safe to read from any thread; the handle is freed only in
/// `deinit`, when no reference can read it any more.
public final class PostgresResult: @unchecked Sendable {
    let handle: OpaquePointer
    /// The number of rows returned.
    public let rowCount: Int
    /// The number of columns in each row.
    public let columnCount: Int
    /// The number of rows the statement touched (`UPDATE 7` → 7), or 0 when it reports none.
    public let affectedRows: Int

    init(taking handle: OpaquePointer) {
        self.handle = handle
        self.rowCount = Int(PQntuples(handle))
        self.columnCount = Int(PQnfields(handle))
        self.affectedRows = Int(String(cString: PQcmdTuples(handle))) ?? 0
    }

    deinit { PQclear(handle) }

    /// The column names, in order.
    public var columnNames: [String] {
        (0..<columnCount).map { String(cString: PQfname(handle, Int32($0))) }
    }

    /// The row at `index` (0-based).
    public subscript(index: Int) -> PostgresRow {
        precondition(index >= 0 && index < rowCount, "row \(index) out of range 0..<\(rowCount)")
        return PostgresRow(result: self, index: index)
    }

    /// Every row, in order.
    public var rows: [PostgresRow] { (0..<rowCount).map { self[$0] } }

    /// The first row, if any.
    public var first: PostgresRow? { rowCount > 0 ? self[0] : nil }

    func columnIndex(named name: String) -> Int? {
        let index = Int(PQfnumber(handle, "\"\(name)\""))
        return index >= 0 ? index : nil
    }

    func columnName(_ column: Int) -> String { String(cString: PQfname(handle, Int32(column))) }

    func columnType(_ column: Int) -> PostgresType { PostgresType(rawValue: PQftype(handle, Int32(column))) }

    func text(row: Int, column: Int) -> String? {
        if PQgetisnull(handle, Int32(row), Int32(column)) == 1 { return nil }
        return String(cString: PQgetvalue(handle, Int32(row), Int32(column)))
    }
}

extension PostgresResult: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { rowCount }
}

/// One row of a ``PostgresResult``; decode its columns by index or by name.
public struct PostgresRow: Sendable {
    let result: PostgresResult
    let index: Int

    /// Decodes column `column` (0-based) as `T`.
    ///
    /// - Throws: ``PostgresError`` with code `.decoding` naming the column, its type and the
    ///   Swift type when the types do not match, the value is `NULL` for a non-optional `T`, or
    ///   the text cannot be parsed.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, at column: Int) throws -> T {
        precondition(column >= 0 && column < result.columnCount, "column \(column) out of range")
        let columnType = result.columnType(column)
        guard T.accepts(columnType) else {
            throw decodingError(column, "has type \(columnType), which cannot be decoded as \(T.self)")
        }
        do {
            return try T.decode(postgresText: result.text(row: index, column: column), type: columnType)
        } catch {
            throw decodingError(column, error.reason + " (decoding \(T.self))")
        }
    }

    /// Calls `body` with column `column`'s text as libpq holds it, without copying it or
    /// checking that it is valid UTF-8 (the connection asks the server for UTF-8), or with
    /// `nil` for `NULL`. The bytes are valid only while `body` runs. For large text passed on
    /// as it is, such as JSON that PostgreSQL wrote.
    public func withUnsafeText<R>(at column: Int, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        precondition(column >= 0 && column < result.columnCount, "column \(column) out of range")
        let handle = result.handle
        let (row, field) = (Int32(index), Int32(column))
        guard PQgetisnull(handle, row, field) == 0 else { return try body(nil) }
        return try withExtendedLifetime(result) {
            try body(UnsafeRawBufferPointer(start: PQgetvalue(handle, row, field), count: Int(PQgetlength(handle, row, field))))
        }
    }

    /// Decodes the column named `name` as `T`.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, column name: String) throws -> T {
        guard let column = result.columnIndex(named: name) else {
            throw PostgresError(code: .decoding, message: "the result has no column \"\(name)\"")
        }
        return try decode(type, at: column)
    }

    /// Decodes the whole row as a tuple-like value, in column order.
    public func decode<each T: PostgresDecodable>(_ types: (repeat each T).Type) throws -> (repeat each T) {
        var column = 0
        func next<U: PostgresDecodable>(_ type: U.Type) throws -> U {
            defer { column += 1 }
            return try decode(type, at: column)
        }
        return (repeat try next((each T).self))
    }

    private func decodingError(_ column: Int, _ reason: String) -> PostgresError {
        PostgresError(
            code: .decoding,
            message: "column \"\(result.columnName(column))\" (index \(column)) \(reason)",
            column: result.columnName(column))
    }
}

extension PostgresResult {
    /// The command tag of the statement (`INSERT 0 3`, `COMMIT`, `ROLLBACK`).
    public var commandTag: String { String(cString: PQcmdStatus(handle)) }
}
