public import ArgumentParser
import Foundation
public import Logging
import Synchronization

/// The CLI is the only place that bootstraps logging.
enum CommandLogging {
    private static let bootstrapped = Atomic<Bool>(false)

    static func bootstrap(level: Logger.Level) {
        guard !bootstrapped.exchange(true, ordering: .relaxed) else { return }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// Short human messages on stderr, apart from the logs.
enum Terminal {
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("rectify: \(message)\n".utf8))
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// A one-line error for bad input found while a command runs (ArgumentParser's
/// `ValidationError` would also print the usage).
struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
