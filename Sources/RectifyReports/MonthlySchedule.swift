import RectifyDomain
import RectifyPostgres

/// The monthly scheduling report (月度调度): where every task and petition stands as the job
/// runs, measured against the period's dates as of its last day (截至月底), overall, per round
/// and per city and county, with cities ranked by their share of tasks on schedule.
///
/// A task is unfinished when it is not started or in progress; only an unfinished task is
/// overdue (its deadline on or before the period's last day) or due next month (its deadline in
/// the month after). A task pending acceptance waits on the province: once its deadline has
/// passed it counts in the province's backlog instead. An office is due to report for the
/// unfinished tasks whose lead unit sits in its own region, and has not reported when it sent
/// no submission for the period (per round: none on that round's tasks); the lead units of
/// those tasks have not reported either. Every city and county in scope has a region row, zeros
/// included. Unfinished tasks whose deadline the province extended are counted apart.
public struct MonthlySchedule: Sendable, Hashable, Codable {
    /// Task figures, as reported overall, per round and per region.
    public struct TaskFigures: Sendable, Hashable, Codable {
        public var tasksTotal = 0
        public var tasksClosed = 0
        public var tasksAccepted = 0
        public var tasksPendingAcceptance = 0
        /// Pending acceptance with the deadline passed: the province's backlog.
        public var tasksPendingAcceptancePastDeadline = 0
        public var tasksInProgress = 0
        public var tasksNotStarted = 0
        public var tasksOverdue = 0
        public var tasksDueNextMonth = 0
        /// Closed (销号) on a day of the period: 本月新增销号.
        public var tasksClosedInPeriod = 0
        /// Unfinished and due on a day of the period: 本月新增逾期.
        public var tasksNewlyOverdue = 0

        enum CodingKeys: String, CodingKey, CaseIterable {
            case tasksTotal = "tasks_total", tasksClosed = "tasks_closed", tasksAccepted = "tasks_accepted"
            case tasksPendingAcceptance = "tasks_pending_acceptance", tasksInProgress = "tasks_in_progress"
            case tasksPendingAcceptancePastDeadline = "tasks_pending_acceptance_past_deadline"
            case tasksNotStarted = "tasks_not_started", tasksOverdue = "tasks_overdue", tasksDueNextMonth = "tasks_due_next_month"
            case tasksClosedInPeriod = "tasks_closed_in_period", tasksNewlyOverdue = "tasks_newly_overdue"
        }

        /// The figures' key paths in the order of ``CodingKeys``, which the SQL's columns follow.
        nonisolated(unsafe) static let fields: [WritableKeyPath<TaskFigures, Int>] = [
            \.tasksTotal, \.tasksClosed, \.tasksAccepted, \.tasksPendingAcceptance, \.tasksInProgress,
            \.tasksPendingAcceptancePastDeadline, \.tasksNotStarted, \.tasksOverdue, \.tasksDueNextMonth,
            \.tasksClosedInPeriod, \.tasksNewlyOverdue,
        ]

        public init() {}

        /// Reads the figures; a report written before a figure existed reads it as 0.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            for (key, field) in zip(CodingKeys.allCases, Self.fields) {
                self[keyPath: field] = try container.decodeIfPresent(Int.self, forKey: key) ?? 0
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            for (key, field) in zip(CodingKeys.allCases, Self.fields) { try container.encode(self[keyPath: field], forKey: key) }
        }
    }

    /// An unfinished task due in the month after the period (临期预警), with its unit and place.
    public struct DueTask: Sendable, Hashable, Codable {
        public var task: String
        public var taskTitle: String
        public var unit: String
        public var unitName: String
        public var region: String
        public var regionName: String
        /// The city the task's region belongs to (the region itself for a city or the province);
        /// `nil` in schedules written before it was kept.
        public var cityName: String?
        /// `YYYY-MM-DD`.
        public var deadline: String

        enum CodingKeys: String, CodingKey {
            case task, unit, region, deadline
            case taskTitle = "task_title", unitName = "unit_name", regionName = "region_name", cityName = "city_name"
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
        /// The lead units of the unfinished tasks of the offices that did not report.
        public var unitsNotReported = 0
        /// Unfinished tasks whose deadline the province has extended (延期).
        public var tasksExtended = 0

        enum CodingKeys: String, CodingKey {
            case petitionsTotal = "petitions_total", petitionsClosed = "petitions_closed"
            case petitionsClosedInStages = "petitions_closed_in_stages", petitionsOpen = "petitions_open"
            case officesNotReported = "offices_not_reported", unitsNotReported = "units_not_reported", tasksExtended = "tasks_extended"
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
            unitsNotReported = try container.decodeIfPresent(Int.self, forKey: .unitsNotReported) ?? 0
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
            try container.encode(unitsNotReported, forKey: .unitsNotReported)
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
    /// The unfinished tasks due next month, by city and unit (临期预警).
    public var dueNextMonth: [DueTask] = []

    public init() {}

    private enum Key: String, CodingKey {
        case byRound = "by_round", byRegion = "by_region", cityRanking = "city_ranking", dueNextMonth = "due_next_month"
    }

    public init(from decoder: any Decoder) throws {
        overall = try Figures(from: decoder)
        let container = try decoder.container(keyedBy: Key.self)
        byRound = try container.decode([RoundFigures].self, forKey: .byRound)
        byRegion = try container.decode([RegionFigures].self, forKey: .byRegion)
        cityRanking = try container.decode([CityRank].self, forKey: .cityRanking)
        dueNextMonth = try container.decodeIfPresent([DueTask].self, forKey: .dueNextMonth) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        try overall.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(byRound, forKey: .byRound)
        try container.encode(byRegion, forKey: .byRegion)
        try container.encode(cityRanking, forKey: .cityRanking)
        try container.encode(dueNextMonth, forKey: .dueNextMonth)
    }
}
