// The registry a worker is built from (`JobRegistry`, `JobContext`, `JobControl`) lives in
// RectifyQueue, so that modules that only define jobs need not import the worker runtime.
// RectifyWorker re-exports the queue, so code that imports RectifyWorker alone still sees them.
@_exported import RectifyQueue
