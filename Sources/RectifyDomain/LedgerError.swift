/// Why a ledger file was refused. Nothing of the file is written when one is raised.
///
/// `description` is one line naming where and what: `tasks[17] (id CEI2-HE-018).deadline:
/// "2023-02-30" is not a date`.
public struct LedgerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where: `tasks[17] (id CEI2-HE-018).deadline`, or `the file` for whole-file problems.
    public var location: String
    /// What is wrong.
    public var message: String

    /// Creates an error at a location.
    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}
