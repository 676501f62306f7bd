import ArgumentParser
import RectifyConfig
import Foundation
import Logging
import RectifyLocalCluster
import RectifyPostgres

/// `--database-url` and how every verb finds its database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: ArgumentHelp(
        "PostgreSQL URL or conninfo string (else DATABASE_URL, else the embedded local cluster).",
        valueName: "url"))
    var databaseURL: String?

    @Option(name: .customLong("log-level"), help: "How much to log on stderr.")
    var logLevel: Logger.Level = .info

    @Option(name: .customLong("config"), help: ArgumentHelp(
        "The configuration file (else RECTIFY_CONFIG, else /etc/rectify/rectify.yaml if it exists).", valueName: "file"))
    var configFile: String?

    /// The settings from the configuration file and the environment, before this command's flags.
    func settings() throws -> Settings {
        do {
            return try SettingsSource.load(file: configFile)
        } catch let error as SettingsError {
            throw CommandError("\(error)")
        }
    }

    /// The database to use: the flag, then `DATABASE_URL`, then the configuration file, then
    /// the embedded cluster (started or reused; where it is goes to stderr).
    func resolve(logger: Logger) async throws -> PostgresConfiguration {
        let settings = try self.settings()
        if let url = databaseURL ?? settings.databaseURL, !url.isEmpty {
            var configuration = PostgresConfiguration(url: url)
            configuration.timeouts = settings.databaseTimeouts
            try configuration.validate()
            return configuration
        }
        let local = LocalClusterConfiguration(directory: EmbeddedCluster.directory)
        let cluster = try await LocalCluster.start(local, logger: logger)
        Terminal.note("using the embedded PostgreSQL at 127.0.0.1:\(cluster.port) (data in \(local.directory.path))")
        var configuration = cluster.postgres
        configuration.timeouts = settings.databaseTimeouts
        return configuration
    }

    /// A pool on the resolved database, closed after `body`.
    func withPool<Value: Sendable>(
        logger: Logger, maxConnections: Int = 10, _ body: (PostgresPool) async throws -> Value
    ) async throws -> Value {
        var settings = PostgresPoolConfiguration()
        settings.maxConnections = maxConnections
        settings.acquireTimeout = try self.settings().poolAcquireTimeout
        return try await PostgresPool.withPool(
            configuration: try await resolve(logger: logger), poolConfiguration: settings, logger: logger, body)
    }

    /// A logger for this command at the chosen level, writing to stderr.
    func makeLogger() -> Logger {
        CommandLogging.bootstrap(level: logLevel)
        return Logger(label: "rectify")
    }
}
