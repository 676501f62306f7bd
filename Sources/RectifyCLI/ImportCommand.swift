import ArgumentParser
import Foundation
import RectifyDomain
import RectifyLedger

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load a ledger interchange file (rectify-ledger/1); all of it or nothing.",
        discussion: "Records are matched by id: importing the same file twice changes nothing the second time.")

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The ledger file (JSON, UTF-8).")
    var file: String

    func run() async throws {
        let logger = database.makeLogger()
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw CommandError("cannot read \(file): \((error as NSError).localizedDescription)")
        }
        let summary = try await database.withPool(logger: logger, maxConnections: 2) { pool in
            _ = try await Schema.migrate(pool, logger: logger)
            let importer = LedgerImporter(pool: pool, logger: logger)
            let ledger: Ledger
            do {
                ledger = try LedgerReader.read(data, known: try await importer.knownRecords())
            } catch let error as LedgerError {
                throw CommandError("\(file): \(error); nothing was imported")
            }
            Terminal.note("\(file): \(ledger.recordCount) records valid; importing")
            return try await importer.importLedger(ledger) { array, count in
                if count > 0 { Terminal.note("  \(array): \(count)") }
            }
        }
        for (array, counts) in summary.arrays where counts.inserted + counts.updated + counts.unchanged > 0 {
            let name = array.padding(toLength: 15, withPad: " ", startingAt: 0)
            print("\(name) \(counts.inserted) new, \(counts.updated) updated, \(counts.unchanged) unchanged")
        }
        if summary.changedNothing { print("nothing changed: the database already holds this ledger") }
    }
}
