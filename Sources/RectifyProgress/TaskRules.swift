import RectifyDomain
import RectifyLedger

/// The rules every change to a task obeys, whoever asks: the state machine (``TaskStatus``) and
/// the floor of accepted progress. Checked at the door and again by the job that applies a
/// submission, since the task may have moved in between.
enum TaskRules {
    /// Whether an office's submission may move `task` to `status` at `progress`.
    ///
    /// - Throws: ``ProgressError`` `progress_below_accepted` or `transition_forbidden`.
    static func checkSubmission(status: TaskStatus, progress: Int, on task: TaskState) throws(ProgressError) {
        guard progress >= task.acceptedProgress else {
            throw ProgressError(
                .progressBelowAccepted,
                "\(progress) is below \(task.acceptedProgress), the progress the province accepted for task \(task.id)",
                field: "progress")
        }
        guard task.status.allows(status, by: .office) else {
            let why = [.accepted, .closed].contains(status) || task.status == .pendingAcceptance || task.status.isDone
                ? "only the provincial office accepts, rejects or closes tasks"
                : "the state machine allows \(task.status.rawValue) to move only one step forward"
            throw ProgressError(
                .transitionForbidden, "task \(task.id) is \(task.status.rawValue) and cannot become \(status.rawValue): \(why)",
                field: "status")
        }
    }
}
