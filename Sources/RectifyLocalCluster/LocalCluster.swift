public import Foundation
public import Logging
public import RectifyPostgres

/// Settings of a ``LocalCluster``.
public struct LocalClusterConfiguration: Sendable {
    /// The folder the cluster lives in: `data/` (PGDATA), `password`, `server.log`.
    public var directory: URL
    /// The database rectify uses inside the cluster; default `rectify`.
    public var database: String = "rectify"
    /// Trades durability for speed (`fsync`, `synchronous_commit`, `full_page_writes` off);
    /// for throwaway test clusters only. Default false.
    public var throwaway: Bool = false
    /// Where `initdb` and `pg_ctl` live; `nil` finds PostgreSQL 15 or newer in the usual places.
    public var binDirectory: String? = nil

    /// Creates settings for a cluster in `directory`.
    public init(directory: URL) {
        self.directory = directory
    }
}

/// A private PostgreSQL cluster on loopback that rectify starts itself: the embedded default
/// database of the CLI and the throwaway server of the tests.
///
/// It listens on 127.0.0.1 only, on a free port chosen when it is created, with password
/// authentication (the password is generated and kept in a file only its owner can read).
/// When rectify runs as root, the server runs as the `postgres` account.
public struct LocalCluster: Sendable {
    /// Where the cluster lives.
    public let configuration: LocalClusterConfiguration
    /// The TCP port on 127.0.0.1.
    public let port: Int
    private let password: String
    private let binDirectory: String

    /// Connection settings for the cluster's rectify database.
    public var postgres: PostgresConfiguration { postgres(database: configuration.database) }

    /// Connection settings for another database of the cluster.
    public func postgres(database: String) -> PostgresConfiguration {
        PostgresConfiguration(url: "postgresql://postgres:\(password)@127.0.0.1:\(port)/postgres", database: database)
    }

    private var dataDirectory: URL { configuration.directory.appendingPathComponent("data") }
    /// The server's log (`pg_ctl start -l`).
    public var logFile: URL { configuration.directory.appendingPathComponent("server.log") }

    /// Starts the cluster, creating it first if the folder holds none; reuses it if it is running.
    ///
    /// - Throws: ``LocalClusterError`` naming what failed (no PostgreSQL found, `initdb` or
    ///   `pg_ctl` failed, with the end of their output).
    public static func start(_ configuration: LocalClusterConfiguration, logger: Logger) async throws -> LocalCluster {
        let binDirectory = try configuration.binDirectory ?? PostgresBinaries.locate()
        let layout = ClusterFiles(directory: configuration.directory)
        if !layout.isInitialised {
            logger.info("creating a local PostgreSQL cluster", metadata: ["path": "\(configuration.directory.path)"])
            try await ClusterCreation(configuration: configuration, binDirectory: binDirectory, files: layout).run()
        }
        var cluster = LocalCluster(
            configuration: configuration, port: try layout.readPort(), password: try layout.readPassword(),
            binDirectory: binDirectory)
        if try await !cluster.isRunning() {
            if !FreePort.isFree(cluster.port) {
                let port = try FreePort.find()
                try layout.writePort(port)
                cluster = LocalCluster(
                    configuration: configuration, port: port, password: cluster.password, binDirectory: binDirectory)
            }
            try await cluster.pgCtl(["start", "-w", "-t", "60", "-l", cluster.logFile.path])
            logger.info("started local PostgreSQL", metadata: ["port": "\(cluster.port)"])
        }
        try await cluster.createDatabaseIfMissing(configuration.database, logger: logger)
        return cluster
    }

    /// Whether the server of this cluster is running.
    public func isRunning() async throws -> Bool {
        do {
            try await pgCtl(["status"])
            return true
        } catch is ChildProcess.Failure {
            return false
        }
    }

    /// Stops the server (`pg_ctl stop -m fast`).
    public func stop() async throws {
        try await pgCtl(["stop", "-w", "-m", "fast"])
    }

    /// Stops the server at once, as a crash would (`pg_ctl stop -m immediate`): no checkpoint,
    /// crash recovery at the next start.
    public func stopImmediately() async throws {
        try await pgCtl(["stop", "-w", "-m", "immediate"])
    }

    /// Stops the server immediately from a synchronous context (process exit).
    public func stopImmediatelyBlocking() {
        _ = try? ChildProcess(executable: binDirectory + "/pg_ctl", arguments: ["-D", dataDirectory.path, "stop", "-m", "immediate"])
            .runBlocking()
    }

    /// Creates `name` if it does not exist, optionally as a copy of `template`.
    public func createDatabaseIfMissing(_ name: String, template: String? = nil, logger: Logger) async throws {
        let admin = try await PostgresConnection.connect(postgres(database: "postgres"), logger: logger)
        do {
            try await admin.createDatabaseIfMissing(name, template: template)
            await admin.close()
        } catch {
            await admin.close()
            throw error
        }
    }

    @discardableResult
    private func pgCtl(_ arguments: [String]) async throws -> String {
        try await ChildProcess(executable: binDirectory + "/pg_ctl", arguments: ["-D", dataDirectory.path] + arguments).run()
    }
}

/// Why a local cluster could not be created or started.
public struct LocalClusterError: Error, Sendable, CustomStringConvertible {
    /// A one-line explanation naming what is missing or what failed.
    public var description: String
}
