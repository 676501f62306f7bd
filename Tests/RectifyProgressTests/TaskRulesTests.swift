import RectifyDomain
import Testing

@Suite("The task state machine")
struct TaskStatusTests {
    @Test("offices move tasks only as far as pending_acceptance; only the province accepts, rejects and closes")
    func transitions() {
        #expect(TaskStatus.notStarted.allows(.inProgress, by: .office))
        #expect(TaskStatus.inProgress.allows(.pendingAcceptance, by: .office))
        #expect(!TaskStatus.pendingAcceptance.allows(.accepted, by: .office))
        #expect(TaskStatus.pendingAcceptance.allows(.accepted, by: .province))
        #expect(!TaskStatus.pendingAcceptance.allows(.inProgress, by: .office))
        #expect(TaskStatus.pendingAcceptance.allows(.inProgress, by: .province))
        #expect(!TaskStatus.accepted.allows(.closed, by: .office))
        #expect(TaskStatus.accepted.allows(.closed, by: .province))
        #expect(!TaskStatus.inProgress.allows(.notStarted, by: .province))
        #expect(!TaskStatus.notStarted.allows(.pendingAcceptance, by: .office))
    }
}
