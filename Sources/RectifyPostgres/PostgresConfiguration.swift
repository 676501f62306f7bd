import CLibPQ
import Foundation

/// How to reach a PostgreSQL server.
public struct PostgresConfiguration: Sendable {
    /// A `postgresql://` URL or a libpq `key=value` conninfo string.
    public var url: String
    /// The `application_name` shown in `pg_stat_activity`; default `rectify`.
    public var applicationName: String
    /// Seconds to wait for a connection before failing; default 5.
    public var connectTimeoutSeconds: Int
    /// Connects to this database instead of the one `url` names; default `nil`.
    public var database: String?
    /// How connections notice a dead peer or a forgotten transaction; see ``PostgresTimeouts``.
    public var timeouts = PostgresTimeouts()
    /// Server settings for every session opened with this configuration (`SET name = value`
    /// at connection start, through libpq's `options`), e.g. `synchronous_commit: off`; default none.
    /// Names and values are PostgreSQL's; a value must not contain spaces.
    public var sessionSettings: [String: String] = [:]

    /// Creates a configuration for a URL or conninfo string.
    public init(url: String, database: String? = nil, applicationName: String = "rectify", connectTimeoutSeconds: Int = 5) {
        self.url = url
        self.database = database
        self.applicationName = applicationName
        self.connectTimeoutSeconds = connectTimeoutSeconds
    }

    /// The same server, another database.
    public func with(database: String) -> PostgresConfiguration {
        var copy = self
        copy.database = database
        return copy
    }

    /// A libpq conninfo string (`host='…' dbname='…'`) equivalent to this configuration, with
    /// the ``database`` override applied; for handing to child processes. Contains the password
    /// if the URL does: never log it.
    public func conninfo() throws -> String {
        var options = try Self.parse(url)
        if let database { options["dbname"] = database }
        return options.sorted { $0.key < $1.key }.map { key, value in
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
            return "\(key)='\(escaped)'"
        }.joined(separator: " ")
    }

    /// libpq keywords and values: ours first, then the URL (expanded), then overrides.
    var connectionParameters: (keywords: [String], values: [String]) {
        // Ours come before the URL, so settings the URL spells out itself win.
        var keywords = ["application_name", "connect_timeout"] + timeouts.keywords
        var values = [applicationName, String(connectTimeoutSeconds)] + timeouts.values
        let settings = timeouts.serverSettings + sessionSettings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        if !settings.isEmpty {
            keywords.append("options")
            values.append(settings.map { "-c \($0)" }.joined(separator: " "))
        }
        keywords.append("dbname")
        values.append(url)
        if let database {
            // Only the first `dbname` is expanded as a URL; a later one just names the database.
            keywords.append("dbname")
            values.append(database)
        }
        // Last, so that a URL cannot change it: text comes back as UTF-8, which Swift's strings
        // hold and JSON answers pass on as it is (``PostgresRow/withUnsafeText(at:_:)``).
        keywords.append("client_encoding")
        values.append("UTF8")
        return (keywords, values)
    }

    /// `host:port/database` for messages and logs, with every host of a multi-host URL
    /// (`10.0.0.1:5432,10.0.0.2:5432/rectify`); never contains a user name or password.
    public var endpointDescription: String {
        let options = (try? Self.parse(url)) ?? [:]
        let hosts = (options["host"] ?? options["hostaddr"] ?? "").split(separator: ",", omittingEmptySubsequences: false)
        let ports = (options["port"] ?? "").split(separator: ",", omittingEmptySubsequences: false)
        // libpq pairs the n-th host with the n-th port, or every host with a single port.
        let servers = hosts.indices.map { index in
            let host = hosts[index].isEmpty ? "localhost" : hosts[index]
            let port = ports.count == hosts.count ? ports[index] : ports.first ?? ""
            return "\(host):\(port.isEmpty ? "5432" : port)"
        }
        let database = self.database ?? options["dbname"] ?? options["user"] ?? "postgres"
        return servers.joined(separator: ",") + "/\(database)"
    }

    /// Checks that libpq can parse the URL, without connecting.
    ///
    /// - Throws: ``PostgresError`` with code `.connectionFailed` when the URL is malformed.
    public func validate() throws {
        _ = try Self.parse(url)
    }

    static func parse(_ url: String) throws -> [String: String] {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &errorMessage) else {
            let reason = errorMessage.map { String(cString: $0) } ?? "unreadable"
            if let errorMessage { PQfreemem(errorMessage) }
            throw PostgresError(
                code: .connectionFailed,
                message: "invalid database URL: \(reason.asOneLine)")
        }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                values[String(cString: keyword)] = String(cString: value)
            }
            option += 1
        }
        return values
    }
}

extension String {
    /// libpq's multi-line messages as one line: `line one; line two`.
    var asOneLine: String {
        split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "; ")
    }
}
