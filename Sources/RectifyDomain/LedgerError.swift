/// Why a ledger file was refused. Nothing of the file is written when one is raised.
///
/// `description` is one line naming where and what: `tasks[17] (id CEI2-HE-018).deadline:
/// "2023-02-30" is not a date`.
public struct LedgerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where: `tasks[17] (id CEI2-HE-018).deadline`, or empty for the whole file (``wholeFile``).
    public var location: String
    /// What is wrong.
    public var message: String

    /// Creates an error at a location.
    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }

    /// The location of a problem with the whole file rather than one record.
    public static let wholeFile = ""

    /// `tasks[17] (id CEI2-HE-018).deadline: "2023-02-30" is not a date`, or `the file is not
    /// valid JSON (…)` for the whole file.
    public var description: String { location.isEmpty ? "the file \(message)" : "\(location): \(message)" }
}
