public import Logging

/// Every component's migrator, run in the order their ``Migrator/follows`` declare: a
/// component's migrations run after those of every component it follows (whose tables its own
/// refer to). The one place that orders a program's schema.
public struct MigrationCatalog: Sendable {
    /// The migrators, each after the ones it follows; among the rest, in the order given.
    public let migrators: [Migrator]

    /// Orders `migrators` by what each follows.
    ///
    /// A component named twice, a component that follows one not in the catalog, or a cycle is
    /// a programming error and stops the program, naming the components.
    public init(_ migrators: [Migrator]) {
        let components = migrators.map(\.component)
        precondition(Set(components).count == components.count, "a component is in the catalog twice: \(components)")
        for migrator in migrators {
            for component in migrator.follows where !components.contains(component) {
                preconditionFailure("\(migrator.component) follows \(component), which is not in the catalog \(components)")
            }
        }
        var ordered: [Migrator] = []
        var remaining = migrators
        while !remaining.isEmpty {
            let placed = Set(ordered.map(\.component))
            guard let next = remaining.firstIndex(where: { $0.follows.allSatisfy(placed.contains) }) else {
                preconditionFailure("the components \(remaining.map(\.component)) follow each other in a cycle")
            }
            ordered.append(remaining.remove(at: next))
        }
        self.migrators = ordered
    }

    /// The newest migration of each component: what a database must have for this program.
    public var expectedVersions: [String: Int] {
        Dictionary(uniqueKeysWithValues: migrators.map { ($0.component, $0.migrations.last?.version ?? 0) })
    }

    /// Applies every component's pending migrations, in order.
    ///
    /// - Returns: how many migrations were applied now.
    @discardableResult
    public func migrate(_ pool: PostgresPool, logger: Logger) async throws -> Int {
        var applied = 0
        for migrator in migrators { applied += try await migrator.migrate(pool, logger: logger).count }
        return applied
    }
}
