import Foundation
public import Logging
import RectifyLocalCluster
public import RectifyPostgres
import RectifySchema
import Synchronization

/// A fresh, migrated database for one test suite, on the test run's private PostgreSQL.
///
/// The first use in a test process starts a throwaway cluster (initdb in a temporary folder,
/// 127.0.0.1, a free port, durability off; as the `postgres` account under root) and stops it
/// when the process exits. With `DATABASE_URL` set, suites use that server instead.
/// Every call returns a new database copied from a migrated template, so suites never share rows.
/// The test must hold its share of the machine (``TestLoad``).
public struct TestDatabase: Sendable {
    /// Connection settings for this database.
    public let configuration: PostgresConfiguration
    /// The database's name.
    public let name: String

    /// A connection string for child processes (`rectify` under test).
    public var url: String { (try? configuration.conninfo()) ?? configuration.url }

    /// Creates a new database with the queue schema applied.
    ///
    /// - Throws: ``TestSupportError`` outside a test that carries a ``TestLoad`` trait;
    ///   ``TestClusterUnreachable`` when the test cluster does not answer, with what it was doing.
    public static func fresh(_ label: String = "test") async throws -> TestDatabase {
        try TestLoad.requireShare(for: "TestDatabase.fresh")
        return try await TestClusterUnreachable.diagnosing { try await TestServer.shared.freshDatabase(label: label) }
    }

    /// A pool on this database, closed when `body` returns. A connection that cannot be made
    /// throws ``TestClusterUnreachable``, saying what the cluster was doing.
    @discardableResult
    public func withPool<Value: Sendable>(
        maxConnections: Int = 10, acquireTimeout: Duration = .seconds(60), _ body: (PostgresPool) async throws -> Value
    ) async throws -> Value {
        var settings = PostgresPoolConfiguration()
        settings.maxConnections = maxConnections
        settings.acquireTimeout = acquireTimeout
        return try await TestClusterUnreachable.diagnosing {
            try await PostgresPool.withPool(
                configuration: configuration, poolConfiguration: settings, logger: TestLogging.logger, body)
        }
    }
}

/// Logging for tests: warnings and errors only, unless `RECTIFY_TEST_LOG_LEVEL` says otherwise.
public enum TestLogging {
    /// A logger for code under test.
    public static let logger: Logger = {
        var logger = Logger(label: "rectify.test")
        let level = ProcessInfo.processInfo.environment["RECTIFY_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
        logger.logLevel = level ?? .warning
        return logger
    }()
}

/// The test process's PostgreSQL server: started once, stopped at exit.
///
/// Databases are created one at a time through one admin connection: each `CREATE DATABASE`
/// copies the template through the WAL, and a hundred of them at once, each on a connection of
/// its own, were what made the cluster miss libpq's connect timeout.
actor TestServer {
    static let shared = TestServer()

    private struct Setup: Sendable {
        let admin: PostgresConfiguration
        let template: String
        /// One connection, so that creations queue here rather than in the server.
        let creator: PostgresPool
    }

    /// Started once; later callers await the same task (the actor is reentrant across awaits).
    private var setUp: Task<Setup, any Error>?
    private var databasesCreated = 0

    /// The cluster to stop when the process exits (set once, read by the `atexit` handler and
    /// by ``TestClusterUnreachable``).
    static let cluster = Mutex<LocalCluster?>(nil)

    func freshDatabase(label: String) async throws -> TestDatabase {
        let setUp = self.setUp ?? Task {
            let admin = try await Self.adminConfiguration()
            var single = PostgresPoolConfiguration()
            single.maxConnections = 1
            single.acquireTimeout = .seconds(600)
            let creator = PostgresPool(configuration: admin, poolConfiguration: single, logger: TestLogging.logger)
            return Setup(admin: admin, template: try await Self.migratedTemplate(admin), creator: creator)
        }
        self.setUp = setUp
        let server = try await setUp.value
        databasesCreated += 1
        let name = "\(label.lowercased().filter { $0.isLetter || $0.isNumber })_\(getpid())_\(databasesCreated)"
        try await server.creator.withConnection { try await $0.createDatabaseIfMissing(name, template: server.template) }
        return TestDatabase(configuration: server.admin.with(database: name), name: name)
    }

    private static func adminConfiguration() async throws -> PostgresConfiguration {
        if let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty {
            return PostgresConfiguration(url: url)
        }
        return try await startCluster()
    }

    private static func startCluster() async throws -> PostgresConfiguration {
        StaleTestClusters.remove()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("rectify-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        var settings = LocalClusterConfiguration(directory: directory)
        settings.throwaway = true
        settings.database = "postgres"
        let cluster = try await LocalCluster.start(settings, logger: TestLogging.logger)
        try "\(getpid())".write(to: directory.appendingPathComponent("owner.pid"), atomically: true, encoding: .utf8)
        Self.cluster.withLock { $0 = cluster }
        atexit {
            TestServer.cluster.withLock { cluster in
                cluster?.stopImmediatelyBlocking()
                if let directory = cluster?.configuration.directory {
                    try? FileManager.default.removeItem(at: directory)
                }
            }
        }
        return cluster.postgres(database: "postgres")
    }

    private static func migratedTemplate(_ admin: PostgresConfiguration) async throws -> String {
        let name = "rectify_template_\(getpid())"
        try await withAdminConnection(admin) { connection in
            try await connection.dropDatabaseIfExists(name)
            try await connection.createDatabaseIfMissing(name)
        }
        try await PostgresPool.withPool(configuration: admin.with(database: name), logger: TestLogging.logger) { pool in
            try await RectifySchema.catalog.migrate(pool, logger: TestLogging.logger)
        }
        return name
    }

    /// Runs `body` on a connection of its own to `admin`, closed when it returns.
    static func withAdminConnection<Value>(
        _ admin: PostgresConfiguration, _ body: (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        let connection = try await PostgresConnection.connect(admin, logger: TestLogging.logger)
        do {
            let value = try await body(connection)
            await connection.close()
            return value
        } catch {
            await connection.close()
            throw error
        }
    }
}

/// Clusters left behind by test processes that crashed before their `atexit` handler ran.
enum StaleTestClusters {
    static func remove() {
        let manager = FileManager.default
        let temporary = manager.temporaryDirectory
        let names = (try? manager.contentsOfDirectory(atPath: temporary.path)) ?? []
        for name in names where name.hasPrefix("rectify-test-") {
            let directory = temporary.appendingPathComponent(name)
            let ownerFile = directory.appendingPathComponent("owner.pid")
            // EPERM means the owner lives on as another user (a root run beside an ordinary one).
            guard let text = try? String(contentsOf: ownerFile, encoding: .utf8), let pid = pid_t(text),
                kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            let postmaster = directory.appendingPathComponent("data/postmaster.pid")
            if let line = (try? String(contentsOf: postmaster, encoding: .utf8))?.split(separator: "\n").first,
                let serverPID = pid_t(line)
            {
                kill(serverPID, SIGQUIT)
            }
            try? manager.removeItem(at: directory)
        }
    }
}

/// A PostgreSQL cluster of a test's own, for tests that stop or restart the server.
public struct PrivateTestCluster: Sendable {
    private let cluster: LocalCluster

    /// Connection settings for the cluster's `rectify` database.
    public var configuration: PostgresConfiguration { cluster.postgres }

    /// Creates and starts a new throwaway cluster.
    ///
    /// - Throws: ``TestSupportError`` outside a test that carries a ``TestLoad`` trait.
    public static func start() async throws -> PrivateTestCluster {
        try TestLoad.requireShare(2, for: "PrivateTestCluster.start")
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("rectify-test-\(getpid())-private-\(UInt32.random(in: 0...UInt32.max))")
        var settings = LocalClusterConfiguration(directory: directory)
        settings.throwaway = true
        let cluster = try await LocalCluster.start(settings, logger: TestLogging.logger)
        try "\(getpid())".write(to: directory.appendingPathComponent("owner.pid"), atomically: true, encoding: .utf8)
        return PrivateTestCluster(cluster: cluster)
    }

    /// Stops the server (fast shutdown: sessions are disconnected).
    public func stopServer() async throws { try await cluster.stop() }

    /// Stops the server as a crash would (immediate shutdown: crash recovery at the next start).
    public func crashServer() async throws { try await cluster.stopImmediately() }

    /// Starts the server again on the same port.
    public func startServer() async throws {
        _ = try await LocalCluster.start(cluster.configuration, logger: TestLogging.logger)
    }

    /// Makes the server also listen on `address` and take password logins from `network` (CIDR),
    /// for processes a test runs in a network namespace of its own; in effect from the next
    /// ``startServer()``.
    public func listen(on address: String, for network: String) throws {
        let data = cluster.configuration.directory.appendingPathComponent("data")
        for (file, line) in [("postgresql.conf", "listen_addresses = '127.0.0.1,\(address)'"), ("pg_hba.conf", "host all all \(network) scram-sha-256")] {
            let handle = try FileHandle(forWritingTo: data.appendingPathComponent(file))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("\n\(line)\n".utf8))
        }
    }

    /// Stops the server and deletes the cluster.
    public func destroy() async {
        try? await cluster.stop()
        try? FileManager.default.removeItem(at: cluster.configuration.directory)
    }
}

extension PostgresPool {
    /// How many client sessions on this pool's database match `condition`, SQL over the columns
    /// of `pg_stat_activity`: how a test sees that a statement of its own waits for a lock.
    public func clientSessions(where condition: String) async throws -> Int {
        try await query(PostgresQuery(sql: """
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND backend_type = 'client backend' AND (\(condition))
            """))[0].decode(Int.self, at: 0)
    }
}
