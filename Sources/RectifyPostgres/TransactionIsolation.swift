/// A transaction isolation level, for ``PostgresConnection/transaction(isolation:_:)``.
public enum TransactionIsolation: String, Sendable, Hashable {
    /// Each statement sees what was committed before it began (PostgreSQL's default).
    case readCommitted = "read committed"
    /// Every statement sees one snapshot, taken at the transaction's first statement.
    case repeatableRead = "repeatable read"
    /// Repeatable read plus protection against serialization anomalies.
    case serializable

    /// The level as SQL, for `BEGIN ISOLATION LEVEL …`.
    var sql: String { rawValue.uppercased() }
}
