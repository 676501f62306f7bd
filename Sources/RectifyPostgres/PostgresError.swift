/// An error from PostgreSQL, from libpq, or from decoding a row.
///
/// `description` is safe to print to an operator: it never contains SQL text, bound values or
/// passwords. `debugDescription` adds the server's detail, hint and the failing statement.
public struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure this is. Extensible: match with `==`, never exhaustively.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case connectionFailed, connectionLost, server, decoding, protocolViolation, poolClosed, cancelled, copyFailed
            case poolExhausted
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The connection could not be established.
        public static let connectionFailed = Code(.connectionFailed)
        /// An established connection broke (server restart, network failure).
        public static let connectionLost = Code(.connectionLost)
        /// The server rejected a statement; see ``PostgresError/sqlState``.
        public static let server = Code(.server)
        /// A column value could not be decoded into the requested Swift type.
        public static let decoding = Code(.decoding)
        /// libpq returned something the client did not expect.
        public static let protocolViolation = Code(.protocolViolation)
        /// The pool was closed while a connection was requested.
        public static let poolClosed = Code(.poolClosed)
        /// No pooled connection came free within the pool's acquire timeout.
        public static let poolExhausted = Code(.poolExhausted)
        /// The statement was cancelled because its task was cancelled.
        public static let cancelled = Code(.cancelled)
        /// A `COPY … FROM STDIN` could not send its data.
        public static let copyFailed = Code(.copyFailed)

        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A one-line, operator-safe explanation.
    public var message: String
    /// The SQLSTATE the server reported, when the server reported one.
    public var sqlState: SQLState?
    /// The server's DETAIL field (may quote values, so only in `debugDescription`).
    public var detail: String?
    /// The server's HINT field.
    public var hint: String?
    /// The constraint the server named, for integrity violations.
    public var constraint: String?
    /// The table the server named, for integrity violations.
    public var table: String?
    /// The column the server named, for integrity violations.
    public var column: String?
    /// The SQL text that failed (never printed by `description`).
    public var statement: String?

    /// Creates an error; used by the client and by code that reports decoding problems.
    public init(
        code: Code, message: String, sqlState: SQLState? = nil, detail: String? = nil, hint: String? = nil,
        constraint: String? = nil, table: String? = nil, column: String? = nil, statement: String? = nil
    ) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.table = table
        self.column = column
        self.statement = statement
    }

    public var description: String {
        var text = message
        if let sqlState { text += " (SQLSTATE \(sqlState.rawValue))" }
        if let constraint { text += " [constraint \(constraint)]" }
        return text
    }

    public var debugDescription: String {
        var text = description
        if let detail { text += "\nDETAIL: \(detail)" }
        if let hint { text += "\nHINT: \(hint)" }
        if let statement { text += "\nSTATEMENT: \(statement)" }
        return text
    }

    /// True when retrying on a fresh connection may succeed.
    public var isConnectionError: Bool {
        code == .connectionFailed || code == .connectionLost
            || sqlState.map { $0.rawValue.hasPrefix("08") || $0 == .adminShutdown || $0 == .cannotConnectNow } ?? false
    }
}

/// A five-character SQLSTATE code with named constants for the ones rectify relies on.
///
/// Match with `~=` in a `switch` or compare with `==`.
public struct SQLState: RawRepresentable, Sendable, Hashable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let uniqueViolation = SQLState(rawValue: "23505")
    public static let foreignKeyViolation = SQLState(rawValue: "23503")
    public static let notNullViolation = SQLState(rawValue: "23502")
    public static let checkViolation = SQLState(rawValue: "23514")
    public static let serializationFailure = SQLState(rawValue: "40001")
    public static let deadlockDetected = SQLState(rawValue: "40P01")
    public static let queryCanceled = SQLState(rawValue: "57014")
    public static let lockNotAvailable = SQLState(rawValue: "55P03")
    public static let adminShutdown = SQLState(rawValue: "57P01")
    public static let cannotConnectNow = SQLState(rawValue: "57P03")
    public static let undefinedTable = SQLState(rawValue: "42P01")
    public static let invalidTextRepresentation = SQLState(rawValue: "22P02")
    public static let connectionFailure = SQLState(rawValue: "08006")
    public static let duplicateDatabase = SQLState(rawValue: "42P04")

    /// Lets a `switch` over an error match a named state: `case SQLState.uniqueViolation:`.
    public static func ~= (pattern: SQLState, error: any Error) -> Bool {
        (error as? PostgresError)?.sqlState == pattern
    }
}
