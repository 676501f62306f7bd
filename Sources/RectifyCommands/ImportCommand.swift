import ArgumentParser
import Foundation
import RectifyDomain
import RectifyLedger
import RectifyPostgres
import RectifySchema

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load a ledger interchange file (rectify-ledger/1); all of it or nothing.",
        discussion: """
            Records are matched by id: importing the same file twice changes nothing the second time. The file may \
            come through a pipe (/dev/stdin). Its format, rules and an example: docs/LEDGER.md in the source.
            """)

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The ledger file (JSON, UTF-8).")
    var file: String

    func run() async throws {
        let logger = database.makeLogger()
        let progress = ProgressLine("reading \(file)")
        let summary = try await database.withPool(logger: logger, maxConnections: 2) { pool in
            _ = try await RectifySchema.catalog.migrate(pool, logger: logger)
            do {
                return try await LedgerImporter(pool: pool, logger: logger).importFile(at: file) { step in
                    switch step {
                    case .reading(let records, let bytesRead, let totalBytes):
                        progress.update(done: bytesRead, total: totalBytes, items: records, itemName: "records")
                    case .checking:
                        progress.complete()
                        progress.note("checking ids and references")
                    case .merging(let array):
                        progress.note("merging \(array)")
                    }
                }
            } catch let error as LedgerError {
                progress.end()
                // The file is named once: before the record at fault, or as the subject of a whole-file problem.
                let problem = error.location == LedgerError.wholeFile ? "\(file) \(error.message)" : "\(file): \(error)"
                throw CommandError("\(problem); nothing was imported")
            }
        }
        for (array, counts) in summary.arrays where counts.inserted + counts.updated + counts.unchanged > 0 {
            let name = array.padding(toLength: 15, withPad: " ", startingAt: 0)
            print("\(name) \(counts.inserted) new, \(counts.updated) updated, \(counts.unchanged) unchanged")
        }
        if summary.changedNothing { print("nothing changed: the database already holds this ledger") }
    }
}
