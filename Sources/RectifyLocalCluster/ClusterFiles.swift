import Foundation

/// The files of a local cluster's folder: `data/`, `password` (mode 0600), `port`.
struct ClusterFiles {
    let directory: URL

    var dataDirectory: URL { directory.appendingPathComponent("data") }
    private var passwordFile: URL { directory.appendingPathComponent("password") }
    private var portFile: URL { directory.appendingPathComponent("port") }

    var isInitialised: Bool {
        FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path)
            && FileManager.default.fileExists(atPath: passwordFile.path)
    }

    func readPassword() throws -> String {
        try read(passwordFile)
    }

    func writePassword(_ password: String) throws {
        try password.write(to: passwordFile, atomically: true, encoding: .utf8)
        chmod(passwordFile.path, 0o600)
    }

    func readPort() throws -> Int {
        guard let port = Int(try read(portFile)) else {
            throw LocalClusterError(description: "\(portFile.path) does not hold a port number")
        }
        return port
    }

    /// Records the port and makes the server use it (the last `port` line of postgresql.conf wins).
    func writePort(_ port: Int) throws {
        try String(port).write(to: portFile, atomically: true, encoding: .utf8)
        let conf = dataDirectory.appendingPathComponent("postgresql.conf")
        let handle = try FileHandle(forWritingTo: conf)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("port = \(port)\n".utf8))
    }

    private func read(_ file: URL) throws -> String {
        do {
            return try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw LocalClusterError(description: "cannot read \(file.path): \(error.localizedDescription)")
        }
    }
}

/// Creates a new cluster: `initdb` with a generated password, then rectify's server settings.
struct ClusterCreation {
    let configuration: LocalClusterConfiguration
    let binDirectory: String
    let files: ClusterFiles

    func run() async throws {
        let manager = FileManager.default
        try manager.createDirectory(at: files.directory, withIntermediateDirectories: true)
        if ChildProcess.runsAsRoot { try handToServerAccount(files.directory) }
        let password = Self.generatePassword()
        // initdb reads the superuser password from a file; it must be readable by the server account.
        let passwordInput = files.directory.appendingPathComponent("initdb-password")
        try password.write(to: passwordInput, atomically: true, encoding: .utf8)
        chmod(passwordInput.path, 0o600)
        if ChildProcess.runsAsRoot { try handToServerAccount(passwordInput) }
        defer { try? manager.removeItem(at: passwordInput) }
        do {
            try await ChildProcess(executable: binDirectory + "/initdb", arguments: [
                "-D", files.dataDirectory.path, "-U", "postgres", "--pwfile", passwordInput.path,
                "--auth-host=scram-sha-256", "--auth-local=peer", "-E", "UTF8", "--locale=C.UTF-8",
            ]).run()
        } catch let failure as ChildProcess.Failure {
            throw LocalClusterError(description: "initdb failed in \(files.dataDirectory.path): \(failure)")
        }
        try appendSettings()
        try files.writePassword(password)
        try files.writePort(try FreePort.find())
    }

    private func appendSettings() throws {
        let durability = configuration.throwaway
            ? "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
            : ""
        // A throwaway cluster serves a whole test run's suites at once, each with its pools,
        // workers and child processes: 200 connections ran out.
        let connections = configuration.throwaway ? 400 : 200
        let settings = """

            # --- rectify local cluster ---
            listen_addresses = '127.0.0.1'
            unix_socket_directories = ''
            max_connections = \(connections)
            shared_buffers = 256MB
            max_wal_size = 2GB
            log_min_messages = warning
            \(durability)
            """
        let conf = files.dataDirectory.appendingPathComponent("postgresql.conf")
        let handle = try FileHandle(forWritingTo: conf)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(settings.utf8))
        let hba = "local all all peer\nhost all all 127.0.0.1/32 scram-sha-256\n"
        try hba.write(to: files.dataDirectory.appendingPathComponent("pg_hba.conf"), atomically: false, encoding: .utf8)
    }

    private func handToServerAccount(_ url: URL) throws {
        guard let account = getpwnam(ChildProcess.serverAccount) else {
            throw LocalClusterError(description: "running as root needs a '\(ChildProcess.serverAccount)' account to run PostgreSQL; install the postgresql package")
        }
        guard chown(url.path, account.pointee.pw_uid, account.pointee.pw_gid) == 0 else {
            throw LocalClusterError(description: "cannot hand \(url.path) to the \(ChildProcess.serverAccount) account")
        }
    }

    private static func generatePassword() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(UInt8.random(in: 0...15, using: &generator), radix: 16) }.joined()
    }
}

/// Finds PostgreSQL's server programs.
enum PostgresBinaries {
    /// The newest `/usr/lib/postgresql/N/bin` (Debian's layout), else the folder of `initdb` on `PATH`.
    static func locate() throws -> String {
        let manager = FileManager.default
        let root = "/usr/lib/postgresql"
        let versions = ((try? manager.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        for version in versions.reversed() where manager.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return "\(root)/\(version)/bin"
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/usr/local/bin"
        for folder in path.split(separator: ":") where manager.isExecutableFile(atPath: "\(folder)/initdb") {
            return String(folder)
        }
        throw LocalClusterError(
            description: "PostgreSQL's initdb was not found (install postgresql-15, or give --database-url)")
    }
}

/// Free TCP ports on 127.0.0.1.
public enum FreePort {
    /// A port the kernel considers free right now.
    public static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LocalClusterError(description: "cannot open a socket to find a free port") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw LocalClusterError(description: "cannot bind a socket to find a free port") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether nothing listens on `port` of 127.0.0.1.
    static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        // PostgreSQL listens with SO_REUSEADDR, so a port in TIME_WAIT after a restart is free for it too.
        var reuse: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = loopback(port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return bound == 0
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
