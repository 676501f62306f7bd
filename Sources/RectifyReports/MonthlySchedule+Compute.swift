import RectifyDomain
import RectifyPostgres

extension MonthlySchedule {
    /// The task figures as SQL aggregates over rows `t` of `rectify_tasks`; `$1` is the
    /// period's last day, `$3` and `$4` the first and last day of the month after. Every
    /// statement gets all five parameters (`$2` the round or NULL, `$5` the period); their
    /// types are declared, so a statement need not use them all.
    private static let taskAggregates = """
        count(*) AS tasks_total,
        count(*) FILTER (WHERE t.status = 'closed') AS tasks_closed,
        count(*) FILTER (WHERE t.status = 'accepted') AS tasks_accepted,
        count(*) FILTER (WHERE t.status = 'pending_acceptance') AS tasks_pending_acceptance,
        count(*) FILTER (WHERE t.status = 'in_progress') AS tasks_in_progress,
        count(*) FILTER (WHERE t.status = 'not_started') AS tasks_not_started,
        count(*) FILTER (WHERE t.status NOT IN ('accepted', 'closed') AND t.deadline < $1::date) AS tasks_overdue,
        count(*) FILTER (WHERE t.status NOT IN ('accepted', 'closed') AND t.deadline BETWEEN $3::date AND $4::date)
            AS tasks_due_next_month
        """

    /// Reads the eight task figures starting at column `first`.
    private static func taskFigures(_ row: PostgresRow, from first: Int) throws -> TaskFigures {
        var figures = TaskFigures()
        figures.tasksTotal = try row.decode(Int.self, at: first)
        figures.tasksClosed = try row.decode(Int.self, at: first + 1)
        figures.tasksAccepted = try row.decode(Int.self, at: first + 2)
        figures.tasksPendingAcceptance = try row.decode(Int.self, at: first + 3)
        figures.tasksInProgress = try row.decode(Int.self, at: first + 4)
        figures.tasksNotStarted = try row.decode(Int.self, at: first + 5)
        figures.tasksOverdue = try row.decode(Int.self, at: first + 6)
        figures.tasksDueNextMonth = try row.decode(Int.self, at: first + 7)
        return figures
    }

    /// Computes the report set-based in SQL on the job's connection.
    static func compute(period: Period, round: String?, on connection: isolated PostgresConnection) async throws -> MonthlySchedule {
        let binds: [any PostgresBindable] = [
            "\(period.lastDay)", round, "\(period.next.firstDay)", "\(period.next.lastDay)", "\(period)",
        ]
        func query(_ sql: String) async throws -> PostgresResult {
            try await connection.query(PostgresQuery(sql: sql, binds: binds))
        }
        let inScope = "($2::text IS NULL OR t.round = $2::text)"
        var report = MonthlySchedule()
        var rounds: [String: Figures] = [:]
        func update(_ round: String?, _ change: (inout Figures) -> Void) {
            if let round { change(&rounds[round, default: Figures()]) } else { change(&report.overall) }
        }

        for row in try await query("""
            SELECT CASE WHEN GROUPING(t.round) = 0 THEN t.round END, \(taskAggregates)
            FROM rectify_tasks t WHERE \(inScope)
            GROUP BY GROUPING SETS ((t.round), ())
            """) {
            let figures = try taskFigures(row, from: 1)
            update(try row.decode(String?.self, at: 0)) { $0.tasks = figures }
        }
        for row in try await query("""
            SELECT CASE WHEN GROUPING(t.round) = 0 THEN t.round END, count(*),
                   count(*) FILTER (WHERE t.status = 'closed'), count(*) FILTER (WHERE t.status = 'closed_in_stages'),
                   count(*) FILTER (WHERE t.status = 'open')
            FROM rectify_petitions t
            WHERE \(inScope)
            GROUP BY GROUPING SETS ((t.round), ())
            """) {
            let (round, total, closed, inStages, open) = try row.decode((String?, Int, Int, Int, Int).self)
            update(round) { figures in
                figures.petitionsTotal = total
                figures.petitionsClosed = closed
                figures.petitionsClosedInStages = inStages
                figures.petitionsOpen = open
            }
        }
        for row in try await query("""
            WITH owners AS (
                SELECT DISTINCT ot.office, t.round
                FROM rectify_office_tasks ot JOIN rectify_tasks t ON t.id = ot.task
                WHERE t.status NOT IN ('accepted', 'closed') AND \(inScope)
            )
            SELECT CASE WHEN GROUPING(round) = 0 THEN round END, count(DISTINCT office)
            FROM owners
            WHERE NOT EXISTS (SELECT 1 FROM rectify_progress_submissions s WHERE s.office = owners.office AND s.period = $5::text)
            GROUP BY GROUPING SETS ((round), ())
            """) {
            let (round, offices) = try row.decode((String?, Int).self)
            update(round) { $0.officesNotReported = offices }
        }
        report.byRound = rounds.keys.sorted().map { RoundFigures(round: $0, figures: rounds[$0]!) }

        for row in try await query("""
            WITH placed AS (
                SELECT t.*, r.level, r.code AS county, CASE r.level WHEN 'county' THEN r.parent ELSE r.code END AS city
                FROM rectify_tasks t JOIN rectify_regions r ON r.code = t.region
                WHERE r.level IN ('city', 'county') AND \(inScope)
            ), grouped AS (
                SELECT CASE WHEN GROUPING(t.county) = 0 THEN t.county ELSE t.city END AS region, \(taskAggregates)
                FROM placed t
                GROUP BY GROUPING SETS ((t.city), (t.city, t.county, t.level))
                HAVING GROUPING(t.county) = 1 OR t.level = 'county'
            )
            SELECT g.region, r.name, r.level, g.tasks_total, g.tasks_closed, g.tasks_accepted, g.tasks_pending_acceptance,
                   g.tasks_in_progress, g.tasks_not_started, g.tasks_overdue, g.tasks_due_next_month
            FROM grouped g JOIN rectify_regions r ON r.code = g.region
            ORDER BY coalesce(CASE r.level WHEN 'county' THEN r.parent END, r.code), r.level, r.code
            """) {
            let (region, name, level) = try row.decode((String, String, String).self)
            report.byRegion.append(RegionFigures(region: region, name: name, level: level, figures: try taskFigures(row, from: 3)))
        }
        report.cityRanking = rankCities(report.byRegion)
        return report
    }

    /// Cities by share of tasks on schedule, best first; ties share a rank and go by code.
    static func rankCities(_ regions: [RegionFigures]) -> [CityRank] {
        let cities = regions.filter { $0.level == "city" }.map { city in
            let onSchedule = city.figures.tasksTotal - city.figures.tasksOverdue
            let share = city.figures.tasksTotal == 0 ? 1 : Double(onSchedule) / Double(city.figures.tasksTotal)
            return CityRank(rank: 0, region: city.region, name: city.name, tasksTotal: city.figures.tasksTotal,
                            tasksOnSchedule: onSchedule, shareOnSchedule: share)
        }.sorted { ($0.shareOnSchedule, $1.region) > ($1.shareOnSchedule, $0.region) }
        var ranked: [CityRank] = []
        for (index, city) in cities.enumerated() {
            var city = city
            city.rank = index > 0 && ranked[index - 1].shareOnSchedule == city.shareOnSchedule ? ranked[index - 1].rank : index + 1
            ranked.append(city)
        }
        return ranked
    }
}
