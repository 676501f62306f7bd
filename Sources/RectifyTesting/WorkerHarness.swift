public import RectifyWorker
import ServiceLifecycle

/// Runs real workers in a `ServiceGroup` until a condition holds, then shuts them down
/// gracefully, as the CLI would on SIGTERM.
///
/// - Returns: whether the condition held before `timeout`.
@discardableResult
public func runWorkers(
    _ workers: [Worker], timeout: Duration = .seconds(60), until condition: @escaping @Sendable () async throws -> Bool
) async throws -> Bool {
    let group = ServiceGroup(configuration: .init(services: workers.map { .init(service: $0) }, logger: TestLogging.logger))
    return try await withThrowingTaskGroup(of: Bool?.self) { tasks in
        tasks.addTask {
            try await group.run()
            return nil
        }
        let held = try await eventually(timeout: timeout, every: .milliseconds(50), condition)
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return held
    }
}
