import Foundation

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
