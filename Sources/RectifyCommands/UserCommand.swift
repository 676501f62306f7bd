import ArgumentParser
import Foundation
import RectifyAccounts
import RectifyConfig
import RectifyLedger
import RectifyPostgres
import RectifySchema

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage the people who sign in to the desk.",
        subcommands: [Add.self, List.self, Disable.self, Link.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a person of an office and print a one-time link to set their password.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The office's id (rectify office list).") var office: Int64
        @Option(help: "The person's name, as the task history shows it.") var name: String
        @Option(help: "What they type to sign in; default their name.") var login: String?

        func run() async throws {
            let logger = database.makeLogger()
            let settings = try database.settings()
            let (person, secret) = try await database.withPool(logger: logger, maxConnections: 1) { pool in
                _ = try await RectifySchema.catalog.migrate(pool, logger: logger)
                return try await PeopleRegistry(pool: pool).add(office: office, name: name, login: login)
            }
            print("person \(person.id): \(person.name) of \(person.office.name), login \(person.login)")
            print("link: \(settings.deskURL)\(DeskLinks.password(secret))")
            Terminal.note("the link works once, for 3 days; give it to \(person.name) over a safe channel")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List people.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let logger = database.makeLogger()
            let people = try await database.withPool(logger: logger, maxConnections: 1) { try await PeopleRegistry(pool: $0).list() }
            guard !people.isEmpty else { return print("no people") }
            let formatter = ISO8601DateFormatter()
            let rows = people.map { person in
                let status = person.disabledAt.map { "disabled \(formatter.string(from: $0))" }
                    ?? (person.hasPassword ? "active" : "no password yet")
                return ["\(person.id)", person.login, person.name, "\(person.office.id)", person.office.name, status]
            }
            print(TextTable.render(header: ["id", "login", "name", "office", "office name", "status"], rows: rows, rightAligned: [0, 3]))
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a person: their sessions end and they cannot sign in.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The person's id.") var id: Int64

        func run() async throws {
            let logger = database.makeLogger()
            let person = try await database.withPool(logger: logger, maxConnections: 1) { try await PeopleRegistry(pool: $0).disable(id: id) }
            print("person \(person.id) (\(person.name), \(person.office.name)) disabled")
        }
    }

    struct Link: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new one-time link for a person to set their password (their earlier links stop working).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The person's id.") var id: Int64

        func run() async throws {
            let logger = database.makeLogger()
            let settings = try database.settings()
            let secret = try await database.withPool(logger: logger, maxConnections: 1) { try await PeopleRegistry(pool: $0).newLink(person: id) }
            print("link: \(settings.deskURL)\(DeskLinks.password(secret))")
        }
    }
}
