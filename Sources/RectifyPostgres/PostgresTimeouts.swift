/// Limits that keep a connection from hanging forever on a peer that went away (a half-open
/// TCP connection after a host crash or a network cut) or on a statement or transaction that
/// never ends. Each applies to every connection a ``PostgresConfiguration`` opens; `nil`
/// turns one off. A URL that sets the same libpq keyword (`keepalives_idle`, `options`, …)
/// overrides these.
public struct PostgresTimeouts: Sendable, Hashable {
    /// Idle time before TCP keepalive probes start, both on the client's socket and the
    /// server's; default 30 s.
    public var keepalivesIdle: Duration? = .seconds(30)
    /// Time between keepalive probes; default 10 s.
    public var keepalivesInterval: Duration = .seconds(10)
    /// Unanswered probes before the connection is dropped; default 3.
    public var keepalivesCount = 3
    /// How long sent data may stay unacknowledged before the connection is dropped
    /// (`tcp_user_timeout`, both sides); default 60 s.
    public var tcpUserTimeout: Duration? = .seconds(60)
    /// The server cancels a statement that runs longer (`statement_timeout`); default 15 min,
    /// far above any statement rectify runs (a national ledger import's longest is seconds).
    public var statementTimeout: Duration? = .seconds(900)
    /// The server ends a session idle inside a transaction this long
    /// (`idle_in_transaction_session_timeout`), releasing its locks; default 5 min.
    public var idleInTransactionTimeout: Duration? = .seconds(300)

    /// The defaults.
    public init() {}

    /// None of the limits (the server's and the operating system's defaults).
    public static let none: PostgresTimeouts = {
        var timeouts = PostgresTimeouts()
        timeouts.keepalivesIdle = nil
        timeouts.tcpUserTimeout = nil
        timeouts.statementTimeout = nil
        timeouts.idleInTransactionTimeout = nil
        return timeouts
    }()

    private static func seconds(_ duration: Duration) -> Int { max(1, Int(duration.components.seconds)) }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        max(1, duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }

    /// Server settings sent at connection start (`-c name=value`, in libpq's `options`).
    var serverSettings: [String] {
        var settings: [String] = []
        if let statementTimeout { settings.append("statement_timeout=\(Self.milliseconds(statementTimeout))") }
        if let idleInTransactionTimeout {
            settings.append("idle_in_transaction_session_timeout=\(Self.milliseconds(idleInTransactionTimeout))")
        }
        if let tcpUserTimeout { settings.append("tcp_user_timeout=\(Self.milliseconds(tcpUserTimeout))") }
        if let keepalivesIdle {
            settings.append("tcp_keepalives_idle=\(Self.seconds(keepalivesIdle))")
            settings.append("tcp_keepalives_interval=\(Self.seconds(keepalivesInterval))")
            settings.append("tcp_keepalives_count=\(keepalivesCount)")
        }
        return settings
    }

    /// libpq keywords for the client's socket.
    var keywords: [String] {
        var keywords: [String] = []
        if keepalivesIdle != nil { keywords += ["keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count"] }
        if tcpUserTimeout != nil { keywords.append("tcp_user_timeout") }
        return keywords
    }

    /// The values for ``keywords``, in order.
    var values: [String] {
        var values: [String] = []
        if let keepalivesIdle {
            values += ["1", "\(Self.seconds(keepalivesIdle))", "\(Self.seconds(keepalivesInterval))", "\(keepalivesCount)"]
        }
        if let tcpUserTimeout { values.append("\(Self.milliseconds(tcpUserTimeout))") }
        return values
    }
}
