import RectifyDomain
import RectifyPostgres

/// The monthly scheduling report (月度调度): where every task and petition stands as the job
/// runs, measured against the period's dates as of its last day (截至月底), overall, per round
/// and per city and county, with cities ranked by their share of tasks on schedule.
///
/// A task is open when it is neither accepted nor closed; overdue when it is open and its
/// deadline is on or before the period's last day; due next month when it is open and its
/// deadline falls in the month after. An office is due to report for the open tasks whose lead
/// unit sits in its own region, and has not reported when it sent no submission for the period
/// (per round: none on that round's tasks). Every city and county in scope has a region row,
/// zeros included. Open tasks whose deadline the province extended are counted apart.
public struct MonthlySchedule: Sendable, Hashable, Codable {
    /// Task figures, as reported overall, per round and per region.
    public struct TaskFigures: Sendable, Hashable, Codable {
        public var tasksTotal = 0
        public var tasksClosed = 0
        public var tasksAccepted = 0
        public var tasksPendingAcceptance = 0
        public var tasksInProgress = 0
        public var tasksNotStarted = 0
        public var tasksOverdue = 0
        public var tasksDueNextMonth = 0

        enum CodingKeys: String, CodingKey {
            case tasksTotal = "tasks_total", tasksClosed = "tasks_closed", tasksAccepted = "tasks_accepted"
            case tasksPendingAcceptance = "tasks_pending_acceptance", tasksInProgress = "tasks_in_progress"
            case tasksNotStarted = "tasks_not_started", tasksOverdue = "tasks_overdue", tasksDueNextMonth = "tasks_due_next_month"
        }
    }

    /// Task, petition and reporting figures of the whole scope or of one round.
    public struct Figures: Sendable, Hashable, Codable {
        public var tasks = TaskFigures()
        public var petitionsTotal = 0
        public var petitionsClosed = 0
        public var petitionsClosedInStages = 0
        public var petitionsOpen = 0
        public var officesNotReported = 0
        /// Open tasks whose deadline the province has extended (延期).
        public var tasksExtended = 0

        enum CodingKeys: String, CodingKey {
            case petitionsTotal = "petitions_total", petitionsClosed = "petitions_closed"
            case petitionsClosedInStages = "petitions_closed_in_stages", petitionsOpen = "petitions_open"
            case officesNotReported = "offices_not_reported", tasksExtended = "tasks_extended"
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            tasks = try TaskFigures(from: decoder)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            petitionsTotal = try container.decode(Int.self, forKey: .petitionsTotal)
            petitionsClosed = try container.decode(Int.self, forKey: .petitionsClosed)
            petitionsClosedInStages = try container.decode(Int.self, forKey: .petitionsClosedInStages)
            petitionsOpen = try container.decode(Int.self, forKey: .petitionsOpen)
            officesNotReported = try container.decode(Int.self, forKey: .officesNotReported)
            tasksExtended = try container.decodeIfPresent(Int.self, forKey: .tasksExtended) ?? 0
        }

        public func encode(to encoder: any Encoder) throws {
            try tasks.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(petitionsTotal, forKey: .petitionsTotal)
            try container.encode(petitionsClosed, forKey: .petitionsClosed)
            try container.encode(petitionsClosedInStages, forKey: .petitionsClosedInStages)
            try container.encode(petitionsOpen, forKey: .petitionsOpen)
            try container.encode(officesNotReported, forKey: .officesNotReported)
            try container.encode(tasksExtended, forKey: .tasksExtended)
        }
    }

    /// One round's figures.
    public typealias RoundFigures = ByRound<Figures>

    /// One city's or county's task figures; a city's include its counties'.
    public struct RegionFigures: Sendable, Hashable, Codable {
        public var region: String
        public var name: String
        public var level: String
        public var figures: TaskFigures

        public init(from decoder: any Decoder) throws {
            figures = try TaskFigures(from: decoder)
            let container = try decoder.container(keyedBy: Key.self)
            region = try container.decode(String.self, forKey: .region)
            name = try container.decode(String.self, forKey: .name)
            level = try container.decode(String.self, forKey: .level)
        }

        public func encode(to encoder: any Encoder) throws {
            try figures.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(region, forKey: .region)
            try container.encode(name, forKey: .name)
            try container.encode(level, forKey: .level)
        }

        init(region: String, name: String, level: String, figures: TaskFigures) {
            (self.region, self.name, self.level, self.figures) = (region, name, level, figures)
        }

        private enum Key: String, CodingKey { case region, name, level }
    }

    /// A city's place in the ranking by share of tasks on schedule (not overdue).
    public struct CityRank: Sendable, Hashable, Codable {
        public var rank: Int
        public var region: String
        public var name: String
        public var tasksTotal: Int
        public var tasksOnSchedule: Int
        /// `tasksOnSchedule / tasksTotal`, 1 for a city without tasks.
        public var shareOnSchedule: Double

        enum CodingKeys: String, CodingKey {
            case rank, region, name, tasksTotal = "tasks_total", tasksOnSchedule = "tasks_on_schedule"
            case shareOnSchedule = "share_on_schedule"
        }
    }

    public var overall = Figures()
    public var byRound: [RoundFigures] = []
    public var byRegion: [RegionFigures] = []
    public var cityRanking: [CityRank] = []

    public init() {}

    private enum Key: String, CodingKey { case byRound = "by_round", byRegion = "by_region", cityRanking = "city_ranking" }

    public init(from decoder: any Decoder) throws {
        overall = try Figures(from: decoder)
        let container = try decoder.container(keyedBy: Key.self)
        byRound = try container.decode([RoundFigures].self, forKey: .byRound)
        byRegion = try container.decode([RegionFigures].self, forKey: .byRegion)
        cityRanking = try container.decode([CityRank].self, forKey: .cityRanking)
    }

    public func encode(to encoder: any Encoder) throws {
        try overall.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(byRound, forKey: .byRound)
        try container.encode(byRegion, forKey: .byRegion)
        try container.encode(cityRanking, forKey: .cityRanking)
    }
}
