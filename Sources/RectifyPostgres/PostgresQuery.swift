/// A statement and its bound parameters.
///
/// Built with string interpolation, every interpolated value becomes a bound parameter, so
/// values can never be spliced into SQL text:
///
/// ```swift
/// let query: PostgresQuery = "SELECT id FROM rectify_jobs WHERE queue = \(queue) AND priority <= \(priority)"
/// // sql: "SELECT id FROM rectify_jobs WHERE queue = $1 AND priority <= $2"
/// ```
///
/// Identifiers that cannot be parameters (table names chosen by code) go in with
/// `\(unescaped: name)`; never pass user input there.
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation {
    /// The SQL text with `$n` placeholders.
    public var sql: String
    /// The values for `$1…$n`, in order.
    public var binds: [any PostgresBindable]
    /// The declared type of each bind, parallel to `binds`.
    public var bindTypes: [PostgresType]

    /// Creates a query from SQL with placeholders and the values for them.
    public init(sql: String, binds: [any PostgresBindable] = []) {
        self.sql = sql
        self.binds = binds
        self.bindTypes = binds.map { type(of: $0).postgresBindType }
    }

    public init(stringLiteral value: String) {
        self.init(sql: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.sql = stringInterpolation.sql
        self.binds = stringInterpolation.binds
        self.bindTypes = stringInterpolation.bindTypes
    }

    /// Collects SQL text and binds while a query literal is interpolated.
    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var sql = ""
        var binds: [any PostgresBindable] = []
        var bindTypes: [PostgresType] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// Appends a bound parameter placeholder for `value`.
        public mutating func appendInterpolation<Value: PostgresBindable>(_ value: Value) {
            binds.append(value)
            bindTypes.append(Value.postgresBindType)
            sql += "$\(binds.count)"
        }

        /// Appends a bound parameter placeholder for an optional value; `nil` binds SQL `NULL`.
        public mutating func appendInterpolation<Value: PostgresBindable>(_ value: Value?) {
            binds.append(value)
            bindTypes.append(Value.postgresBindType)
            sql += "$\(binds.count)"
        }

        /// Appends SQL text verbatim. Only for identifiers chosen by code, never for input.
        public mutating func appendInterpolation(unescaped text: String) {
            sql += text
        }
    }
}
