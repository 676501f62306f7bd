import ArgumentParser
import RectifyPostgres
import RectifySchema

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Create or upgrade the schema; safe to run any number of times, concurrently.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = database.makeLogger()
        let applied = try await database.withPool(logger: logger, maxConnections: 1) {
            try await RectifySchema.catalog.migrate($0, logger: logger)
        }
        print(applied == 0 ? "schema is up to date" : "applied \(applied) migration(s)")
    }
}
