import Dispatch

/// A serial executor that runs every job on one private dispatch queue.
///
/// libpq calls block their thread. An actor that uses this executor runs them on its own
/// queue's thread, never on Swift's cooperative pool (`groue/GRDB.swift DispatchQueueActor`).
final class DispatchQueueExecutor: SerialExecutor {
    private let queue: DispatchQueue
    /// A task executor on the same queue (``DispatchQueueTaskExecutor``).
    let taskExecutor: DispatchQueueTaskExecutor

    init(label: String) {
        queue = DispatchQueue(label: label)
        taskExecutor = DispatchQueueTaskExecutor(queue: queue)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedSerialExecutor()) }
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    func checkIsolated() {
        dispatchPrecondition(condition: .onQueue(queue))
    }
}

/// A task executor on a connection's serial queue. A task that prefers it
/// (`withTaskExecutorPreference`) runs its own code on that queue, so its statements on the
/// connection, and its code after them, queue behind the current job on the same thread instead
/// of waking another thread there and back.
final class DispatchQueueTaskExecutor: TaskExecutor {
    private let queue: DispatchQueue

    init(queue: DispatchQueue) {
        self.queue = queue
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
