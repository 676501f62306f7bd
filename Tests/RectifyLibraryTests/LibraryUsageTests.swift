// The README's "Using the queue as a library" example, compiled and run: only the products'
// public API (no @testable import), with a throwaway database from RectifyTesting.
import Logging
import RectifyPostgres
import RectifyQueue
import RectifyTesting
import RectifyWorker
import ServiceLifecycle
import Testing

/// The arguments of the example's job.
struct ShipOrder: Codable, Sendable {
    var orderId: Int64
    var carrier: String
}

/// The job: a kind tied to its arguments, queue, priority, timeout and retry policy.
let shipOrder = JobDefinition(
    kind: "ship_order", args: ShipOrder.self, queue: "shipping", priority: 0, timeout: .seconds(30), maxAttempts: 5,
    retry: RetryPolicy(base: .seconds(2), maximum: .seconds(60)))

@Suite("The queue as a library, through its public API", .database)
struct LibraryUsageTests {
    @Test("an order and its job commit together; a worker runs the job, whose effect commits with its completion")
    func enqueueRunAndCheck() async throws {
        let database = try await TestDatabase.fresh("library")
        let logger = Logger(label: "shop")
        var poolSettings = PostgresPoolConfiguration()
        poolSettings.maxConnections = 8
        let pool = PostgresPool(configuration: database.configuration, poolConfiguration: poolSettings, logger: logger)

        // The queue's tables (safe to run any number of times), and the service's own.
        try await QueueMigrations.migrator.migrate(pool, logger: logger)
        try await pool.query("CREATE TABLE shop_orders (id bigint PRIMARY KEY, shipped_by text)")

        // Enqueue inside the service's own transaction: the job exists only if the order does.
        try await pool.transaction { connection in
            try await connection.query("INSERT INTO shop_orders (id) VALUES (\(Int64(7)))")
            try await JobQueue.enqueue(shipOrder, args: ShipOrder(orderId: 7, carrier: "EMS"), on: connection)
        }

        // The handler's writes commit in the transaction that completes the job.
        var registry = JobRegistry()
        registry.register(shipOrder) { args, connection, context in
            try await connection.query("UPDATE shop_orders SET shipped_by = \(args.carrier) WHERE id = \(args.orderId)")
        }
        var configuration = WorkerConfiguration()
        configuration.queues = ["shipping": 10]
        let worker = Worker(pool: pool, registry: registry, configuration: configuration, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: worker)], logger: logger))

        let shipped = try await withThrowingTaskGroup(of: String?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            var shippedBy: String?
            for _ in 0..<400 where shippedBy == nil {
                shippedBy = try await pool.query("SELECT shipped_by FROM shop_orders WHERE id = 7")[0].decode(String?.self, at: 0)
                if shippedBy == nil { try await Task.sleep(for: .milliseconds(50)) }
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return shippedBy
        }
        #expect(shipped == "EMS")
        let jobs = try await JobQueue(pool: pool).list(JobFilter(kind: "ship_order"))
        #expect(jobs.map(\.state) == [.completed])
        #expect(jobs.first?.queue == "shipping" && jobs.first?.maxAttempts == 5)
        await pool.close()
    }
}
