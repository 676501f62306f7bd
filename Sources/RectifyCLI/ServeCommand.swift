import ArgumentParser
import RectifyAPI
import RectifyConfig
import RectifySchedule
import RectifyWorker

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP server: GET /healthz for probes, GET /metrics for Prometheus.",
        discussion: "Stops on SIGTERM or SIGINT after answering the requests in flight.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Address to listen on (default http.host, 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default http.port, 8080).") var port: Int?

    func validate() throws {
        if let port, !(1...65_535).contains(port) { throw ValidationError("--port must be from 1 to 65535") }
    }

    func run() async throws {
        let logger = database.makeLogger()
        let settings = try database.settings()
        try await database.withPool(logger: logger, maxConnections: 4) { pool in
            try await SchemaCheck.require(pool)
            let application = APIServer.application(pool: pool, settings: APIServer.Settings(
                host: host ?? settings.httpHost, port: port ?? settings.httpPort,
                workerLease: settings.worker.lease, timeZone: settings.scheduler.timeZone), logger: logger)
            try await ServiceRun.untilSignalled([application], logger: logger)
        }
    }
}
