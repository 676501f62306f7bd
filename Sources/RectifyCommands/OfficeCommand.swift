import ArgumentParser
import Foundation
import RectifyLedger
import RectifyProgress
import RectifyPostgres
import RectifySchema

struct OfficeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "office", abstract: "Manage the offices that report progress, and their tokens.",
        subcommands: [Add.self, List.self, Revoke.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an office (a region's, a lead unit's own, or ops) and print its bearer token once.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The region's 6-digit code (it must be in the ledger); none for --role ops.") var region: String?
        @Option(help: "The office's name.") var name: String
        @Option(help: ArgumentHelp(
            "county, city or province (must match the region's level; default: the region's level), or ops.",
            discussion: "An ops token has no region: it logs in to the ops page, whose retry and discard buttons act only for it."))
        var role: String?
        @Option(help: ArgumentHelp(
            "A lead unit's id, for that unit's own office (a provincial department's).",
            discussion: "Such an office reports on its unit's tasks only and never accepts; give it no --region or --role."))
        var unit: String?

        func validate() throws {
            if unit != nil, region != nil || role != nil { throw ValidationError("--unit takes no --region or --role") }
        }

        func run() async throws {
            let logger = database.makeLogger()
            let (office, token) = try await database.withPool(logger: logger, maxConnections: 1) { pool in
                _ = try await RectifySchema.catalog.migrate(pool, logger: logger)
                let registry = OfficeRegistry(pool: pool)
                if let unit { return try await registry.add(unit: unit, name: name) }
                return try await registry.add(region: region, name: name, role: role)
            }
            print("office \(office.id): \(office.name) (\(office.role)\((office.region ?? office.unit).map { " " + $0 } ?? ""))")
            print("token: \(token)")
            Terminal.note("the token is shown only now; give it to the office over a safe channel")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List offices.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let logger = database.makeLogger()
            let offices = try await database.withPool(logger: logger, maxConnections: 1) { try await OfficeRegistry(pool: $0).list() }
            guard !offices.isEmpty else { return print("no offices") }
            let formatter = ISO8601DateFormatter()
            let rows = offices.map { office in
                ["\(office.id)", office.region ?? office.unit ?? "-", office.role, office.revokedAt.map { "revoked \(formatter.string(from: $0))" } ?? "active",
                 office.name]
            }
            print(TextTable.render(header: ["id", "region", "role", "status", "name"], rows: rows, rightAligned: [0]))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an office's token.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The office id.") var id: Int64

        func run() async throws {
            let logger = database.makeLogger()
            let office = try await database.withPool(logger: logger, maxConnections: 1) { try await OfficeRegistry(pool: $0).revoke(id: id) }
            print("office \(office.id) (\(office.name)) revoked")
        }
    }
}
