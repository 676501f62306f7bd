import RectifyDomain
import RectifyPostgres

/// The public disclosure (整改落实情况公开) of a period: the paragraph the province publishes
/// on how the rectification stands, for the province and per round. Its figures are the monthly
/// schedule's task and petition figures and the accountability tally's, computed by the same
/// SQL, so the disclosure never says what the other reports do not.
///
/// A task counts as completed (已完成整改) once the province has accepted it, whether or not
/// its public notice has closed it yet; as advancing (正在推进) while in progress or waiting for
/// acceptance, and apart from those not started. Each round carries its inspection (group,
/// 进驻 and 反馈 dates), which its section opens with.
public struct PublicDisclosure: Sendable, Hashable, Codable {
    /// The inspection a round's section opens with, from the ledger's round.
    public struct Inspection: Sendable, Hashable, Codable {
        /// The inspection group (督察组).
        public var group: String
        /// The 进驻 dates and the 反馈 date, `YYYY-MM-DD`.
        public var inspectedFrom: String
        public var inspectedTo: String
        public var feedbackOn: String

        enum CodingKeys: String, CodingKey {
            case group = "inspection_group", inspectedFrom = "inspected_from", inspectedTo = "inspected_to", feedbackOn = "feedback_on"
        }
    }

    /// The figures the paragraph quotes, of the province or of one round.
    public struct Figures: Sendable, Hashable, Codable {
        public var schedule = MonthlySchedule.Figures()
        public var tally = AccountabilityTally.Figures()
        /// A round's inspection; `nil` for the province's figures.
        public var inspection: Inspection?

        /// Accepted or closed: the work is done and the province has accepted it.
        public var tasksCompleted: Int { schedule.tasks.tasksClosed + schedule.tasks.tasksAccepted }
        /// In progress or waiting for acceptance: advancing (正在推进), not those not started.
        public var tasksAdvancing: Int { schedule.tasks.tasksInProgress + schedule.tasks.tasksPendingAcceptance }

        public init() {}

        public init(from decoder: any Decoder) throws {
            schedule = try MonthlySchedule.Figures(from: decoder)
            tally = try AccountabilityTally.Figures(from: decoder)
            inspection = try? Inspection(from: decoder)
        }

        public func encode(to encoder: any Encoder) throws {
            try schedule.encode(to: encoder)
            try tally.encode(to: encoder)
            try inspection?.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(tasksCompleted, forKey: .tasksCompleted)
        }

        private enum Key: String, CodingKey { case tasksCompleted = "tasks_completed" }
    }

    /// One round's figures.
    public typealias RoundFigures = ByRound<Figures>

    public var overall = Figures()
    public var byRound: [RoundFigures] = []

    /// An empty disclosure.
    public init() {}

    private enum Key: String, CodingKey { case byRound = "by_round" }

    public init(from decoder: any Decoder) throws {
        overall = try Figures(from: decoder)
        byRound = try decoder.container(keyedBy: Key.self).decode([RoundFigures].self, forKey: .byRound)
    }

    public func encode(to encoder: any Encoder) throws {
        try overall.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(byRound, forKey: .byRound)
    }

    /// Computes the disclosure on the job's connection with the schedule's and the tally's own queries.
    static func compute(period: Period, round: String?, on connection: isolated PostgresConnection) async throws -> PublicDisclosure {
        let schedule = try await MonthlySchedule.compute(period: period, round: round, on: connection)
        let tally = try await AccountabilityTally.compute(period: period, round: round, on: connection)
        var disclosure = PublicDisclosure()
        disclosure.overall.schedule = schedule.overall
        disclosure.overall.tally = tally.overall
        let tallies = Dictionary(uniqueKeysWithValues: tally.byRound.map { ($0.round, $0) })
        var rounds = Dictionary(uniqueKeysWithValues: schedule.byRound.map { ($0.round, $0.name) })
        for round in tally.byRound where rounds[round.round] == nil { rounds[round.round] = round.name }
        let scheduled = Dictionary(uniqueKeysWithValues: schedule.byRound.map { ($0.round, $0.figures) })
        var inspections: [String: Inspection] = [:]
        for row in try await connection.query("""
            SELECT id, inspection_group, inspected_from::text, inspected_to::text, feedback_on::text
            FROM rectify_ledger_rounds WHERE id = ANY(\(Array(rounds.keys))::text[])
            """) {
            let (id, group, from, to, feedback) = try row.decode((String, String, String, String, String).self)
            inspections[id] = Inspection(group: group, inspectedFrom: from, inspectedTo: to, feedbackOn: feedback)
        }
        disclosure.byRound = rounds.keys.sorted().map { id in
            var figures = Figures()
            figures.schedule = scheduled[id] ?? MonthlySchedule.Figures()
            figures.tally = tallies[id]?.figures ?? AccountabilityTally.Figures()
            figures.inspection = inspections[id]
            return RoundFigures(round: id, name: rounds[id]!, figures: figures)
        }
        return disclosure
    }
}
