/// Rows in the text format of `COPY … FROM STDIN`, built in one byte buffer.
///
/// Values are appended in column order and each row is ended with ``endRow()``; text is
/// escaped, `nil` is SQL `NULL`. Integers are written without an intermediate `String`, so a
/// large batch costs little more than its bytes. `PostgresConnection.copy(into:columns:rows:)`
/// sends them.
public struct PostgresCopyRows: Sendable {
    /// The encoded rows.
    private(set) var bytes: [UInt8] = []
    /// Rows ended so far.
    public private(set) var count = 0
    private var atRowStart = true

    /// An empty buffer with room for about `capacity` bytes.
    public init(reservingCapacity capacity: Int = 1 << 16) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends a text value, or `NULL` for `nil`.
    public mutating func append(_ value: String?) {
        separate()
        if let value { CopyTextFormat.appendEscaped(value, to: &bytes) } else { bytes += [92, 78] }
    }

    /// Appends an integer in decimal.
    public mutating func append<Value: BinaryInteger>(_ value: Value) {
        separate()
        var magnitude = value.magnitude
        if value < 0 { bytes.append(45) }
        let start = bytes.count
        repeat {
            bytes.append(48 + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }

    /// Appends an integer in decimal, or `NULL` for `nil`.
    public mutating func append<Value: BinaryInteger>(_ value: Value?) {
        if let value { append(value) } else { append(nil as String?) }
    }

    /// Ends the current row.
    public mutating func endRow() {
        bytes.append(10)
        atRowStart = true
        count += 1
    }

    private mutating func separate() {
        if !atRowStart { bytes.append(9) }
        atRowStart = false
    }
}
