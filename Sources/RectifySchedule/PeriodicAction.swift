public import Foundation
public import RectifyPostgres

/// A periodic entry kind that is not a job kind: firing one of its due times runs code in the
/// fire's transaction (the monthly run schedules a month's reports, once per month whichever
/// path fires it) instead of enqueuing one job of the entry's kind.
public protocol PeriodicAction: Sendable {
    /// The entry kind this action serves.
    static var entryKind: String { get }

    /// Fires one due time of `entry` inside the fire's transaction; returns the jobs it enqueued
    /// now (none when the work had been scheduled another way).
    static func fire(_ entry: PeriodicEntry, due: Date, by: String, on connection: isolated PostgresConnection) async throws -> [Int64]

    /// The jobs that stand for each of `dues` (fired due times of `entry`) in `schedule list`,
    /// in the same order: for the monthly run, its month's jobs, whichever path enqueued them.
    static func jobs(for dues: [Date], of entry: PeriodicEntry, on connection: isolated PostgresConnection) async throws -> [[Int64]]
}

/// The actions a scheduler knows, by entry kind; an entry of any other kind enqueues one job.
public struct PeriodicActions: Sendable {
    private let byKind: [String: any PeriodicAction.Type]

    /// The actions given.
    public init(_ actions: [any PeriodicAction.Type]) {
        byKind = Dictionary(actions.map { ($0.entryKind, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The action for `kind`, if one serves it.
    func action(for kind: String) -> (any PeriodicAction.Type)? { byKind[kind] }
}
