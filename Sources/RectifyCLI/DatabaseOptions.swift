import ArgumentParser
import RectifyConfig
import Foundation
import Logging
import RectifyLedger
import RectifyLocalCluster
import RectifyPostgres
import RectifyProgress
import RectifyQueue
import RectifyReports
import RectifySchedule

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

/// Where the embedded cluster lives: `RECTIFY_HOME`, else `/var/lib/rectify` for root (the
/// `postgres` account must reach it), else `$XDG_DATA_HOME/rectify` or `~/.local/share/rectify`.
enum EmbeddedCluster {
    static var directory: URL {
        let environment = ProcessInfo.processInfo.environment
        if let home = environment["RECTIFY_HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home).appendingPathComponent("cluster")
        }
        if geteuid() == 0 { return URL(fileURLWithPath: "/var/lib/rectify/cluster") }
        let data = environment["XDG_DATA_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share")
        return data.appendingPathComponent("rectify/cluster")
    }
}

/// Migrates every component rectify has, in order.
enum Schema {
    static let migrators = [QueueMigrations.migrator, LedgerMigrations.migrator, ProgressMigrations.migrator, ReportMigrations.migrator, ScheduleMigrations.migrator]

    /// The newest migration of each component, which `/readyz` requires.
    static var expectedVersions: [String: Int] {
        Dictionary(uniqueKeysWithValues: migrators.map { ($0.component, $0.migrations.last?.version ?? 0) })
    }

    static func migrate(_ pool: PostgresPool, logger: Logger) async throws -> Int {
        var applied = 0
        for migrator in migrators { applied += try await migrator.migrate(pool, logger: logger).count }
        return applied
    }
}
