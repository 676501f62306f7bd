import RectifyConfig
import RectifySchedule
import RectifyWorker

/// Refuses periodic entries whose job kind this build does not run: workers claim only the kinds
/// they know, so such an entry would enqueue jobs that nobody ever takes.
enum PeriodicEntryKinds {
    /// - Throws: ``CommandError`` naming the entry, its kind and the kinds there are.
    static func check(_ settings: Settings) throws {
        var registry = JobRegistry()
        JobKinds.register(into: &registry)
        for entry in settings.scheduler.entries where !registry.kinds.contains(entry.kind) {
            throw CommandError("scheduler.entries.\(entry.name).kind: \(entry.kind) is not a job kind rectify runs; "
                + "the kinds are \(registry.kinds.joined(separator: ", "))")
        }
    }
}
