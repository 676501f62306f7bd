import Foundation
public import Testing

/// How much of the machine a test takes while it runs: the trait that keeps `swift test` from
/// starting every test of the run at once.
///
/// Swift Testing runs all tests of the process in parallel. On a two-core machine that meant
/// some 110 `CREATE DATABASE` statements and as many child processes at the same moment, a load
/// average near 40, and connections to the test cluster that timed out after libpq's 5 s
/// (RELIABILITY.md, "The test suite on two cores"). A suite that uses PostgreSQL carries one
/// of these traits; its tests then take their share of the run's capacity before they start
/// and give it back when they end, so the others wait in this process, where no timeout runs.
///
/// Tests without the trait (pure computations) run freely. ``TestDatabase/fresh(_:)`` and
/// ``PrivateTestCluster/start()`` refuse to run outside a test that holds a share, so a new
/// suite cannot forget it.
public struct TestLoad: TestTrait, SuiteTrait, TestScoping {
    /// The share of ``capacity`` this load takes.
    public let weight: Int

    /// Units of load that may run at once: four, whatever the cores, which keeps a two-core
    /// machine busy (most of a database test is waiting for the server) without overloading it.
    public static let capacity = 4

    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        // A suite's own scope would hold its share while its tests wait for theirs. A test
        // under two of these traits (its suite's and its own) holds the larger: the outer scope
        // takes its weight, the inner one what the outer left out.
        let held = Self.held ?? 0
        guard testCase != nil, weight > held else {
            try await function()
            return
        }
        try await TestCapacity.shared.withShare(weight - held) {
            try await Self.$held.withValue(weight) { try await function() }
        }
    }

    /// The weight held by the running test, if it holds one.
    @TaskLocal static var held: Int?

    /// Throws unless the calling test holds at least `weight`: `what` names the facility it
    /// asked for.
    static func requireShare(_ weight: Int = 1, for what: String) throws {
        guard let held, held >= weight else {
            throw TestSupportError(
                "\(what) needs a test that holds \(weight == 1 ? "its share" : "\(weight) units") of the machine: add "
                    + "`.database` (1 unit), `.processes` (2) or `.wholeMachine` (all) to its @Suite, as the other "
                    + "suites that use PostgreSQL do")
        }
    }
}

extension Trait where Self == TestLoad {
    /// A test that works on a database of the shared test cluster.
    public static var database: Self { TestLoad(weight: 1) }
    /// A test that also starts `rectify` processes, servers or a cluster of its own.
    public static var processes: Self { TestLoad(weight: 2) }
    /// A test that must have the machine to itself: the fault suite's, with their worker
    /// processes on short leases, server restarts and floods of bad input.
    public static var wholeMachine: Self { TestLoad(weight: TestLoad.capacity) }
}

/// A mistake in how a test uses the test support.
public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}

/// The run's capacity, handed out first come, first served: a test that needs more than is free
/// waits, and so do the tests that came after it, so a whole-machine test is never starved by a
/// stream of small ones. A waiting test is not woken by its cancellation: it keeps its place
/// until its units come free (Swift Testing cancels nothing mid-run).
actor TestCapacity {
    static let shared = TestCapacity()

    private var free = TestLoad.capacity
    private var waiting: [(weight: Int, resume: CheckedContinuation<Void, Never>)] = []

    /// How many units are in use and how many tests wait, for a diagnosis.
    var state: (inUse: Int, waiting: Int) { (TestLoad.capacity - free, waiting.count) }

    /// Runs `body` once `weight` units are free, and frees them when it returns.
    nonisolated func withShare(_ weight: Int, _ body: () async throws -> Void) async throws {
        let weight = min(weight, TestLoad.capacity)
        await acquire(weight)
        do {
            try await body()
            await release(weight)
        } catch {
            await release(weight)
            throw error
        }
    }

    private func acquire(_ weight: Int) async {
        if waiting.isEmpty && free >= weight {
            free -= weight
            return
        }
        await withCheckedContinuation { waiting.append((weight, $0)) }
    }

    private func release(_ weight: Int) {
        free += weight
        while let next = waiting.first, next.weight <= free {
            waiting.removeFirst()
            free -= next.weight
            next.resume.resume()
        }
    }
}
