import RectifyDomain
import RectifyPostgres
import RectifyProgress

extension MonthlySchedule {
    /// The task figures as SQL aggregates over rows `t` of `rectify_ledger_tasks` (or of a region
    /// without tasks, whose `t.id` is NULL), in the order of ``TaskFigures/fields``; `$1` is the
    /// period's last day, `$3` and `$4` the first and last day of the month after, `$6` the
    /// period's first day. Every statement gets all six parameters (`$2` the round or NULL, `$5`
    /// the period); their types are declared, so a statement need not use them all.
    ///
    /// Only an unfinished task (not started or in progress) is overdue or due: one pending
    /// acceptance waits on the province, and counts in its backlog once its deadline has passed.
    /// Overdue is measured as of the end of the month: a task due on the period's last day and
    /// not done is late in that period's report.
    private static let taskAggregates = """
        count(t.id) AS tasks_total,
        count(*) FILTER (WHERE t.status = 'closed') AS tasks_closed,
        count(*) FILTER (WHERE t.status = 'accepted') AS tasks_accepted,
        count(*) FILTER (WHERE t.status = 'pending_acceptance') AS tasks_pending_acceptance,
        count(*) FILTER (WHERE t.status = 'in_progress') AS tasks_in_progress,
        count(*) FILTER (WHERE t.status = 'pending_acceptance' AND t.deadline <= $1::date) AS tasks_pending_acceptance_past_deadline,
        count(*) FILTER (WHERE t.status = 'not_started') AS tasks_not_started,
        count(*) FILTER (WHERE t.status IN ('not_started', 'in_progress') AND t.deadline <= $1::date) AS tasks_overdue,
        count(*) FILTER (WHERE t.status IN ('not_started', 'in_progress') AND t.deadline BETWEEN $3::date AND $4::date)
            AS tasks_due_next_month,
        count(*) FILTER (WHERE t.status = 'closed' AND t.closed_on BETWEEN $6::date AND $1::date) AS tasks_closed_in_period,
        count(*) FILTER (WHERE t.status IN ('not_started', 'in_progress') AND t.deadline BETWEEN $6::date AND $1::date)
            AS tasks_newly_overdue
        """

    /// Reads the task figures starting at column `first`.
    private static func taskFigures(_ row: PostgresRow, from first: Int) throws -> TaskFigures {
        var figures = TaskFigures()
        for (offset, field) in TaskFigures.fields.enumerated() { figures[keyPath: field] = try row.decode(Int.self, at: first + offset) }
        return figures
    }

    /// Computes the report set-based in SQL on the job's connection.
    static func compute(period: Period, round: String?, on connection: isolated PostgresConnection) async throws -> MonthlySchedule {
        let binds: [any PostgresBindable] = [
            "\(period.lastDay)", round, "\(period.next.firstDay)", "\(period.next.lastDay)", "\(period)", "\(period.firstDay)",
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
            FROM rectify_ledger_tasks t WHERE \(inScope)
            GROUP BY GROUPING SETS ((t.round), ())
            """) {
            let figures = try taskFigures(row, from: 1)
            update(try row.decode(String?.self, at: 0)) { $0.tasks = figures }
        }
        for row in try await query("""
            SELECT CASE WHEN GROUPING(t.round) = 0 THEN t.round END, count(*),
                   count(*) FILTER (WHERE t.status = 'closed'), count(*) FILTER (WHERE t.status = 'closed_in_stages'),
                   count(*) FILTER (WHERE t.status = 'open')
            FROM rectify_ledger_petitions t
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
        // An office is due to report for the unfinished tasks whose lead unit sits in its own
        // region (not the regions below it): overall when it sent no submission for the period,
        // per round when it sent none on that round's tasks. The lead units of those tasks have
        // not reported either.
        for row in try await query("""
            WITH due AS (
                SELECT t.office, t.round, t.lead_unit FROM rectify_due_to_report t WHERE \(inScope)
            ), reported AS (
                SELECT DISTINCT s.office, st.round
                FROM rectify_ledger_submissions s JOIN rectify_ledger_tasks st ON st.id = s.task
                WHERE s.period = $5::text
            )
            SELECT NULL::text, count(DISTINCT d.office), count(DISTINCT d.lead_unit) FROM due d
            WHERE NOT EXISTS (SELECT FROM reported r WHERE r.office = d.office AND ($2::text IS NULL OR r.round = $2::text))
            UNION ALL
            SELECT d.round, count(DISTINCT d.office), count(DISTINCT d.lead_unit) FROM due d
            WHERE NOT EXISTS (SELECT FROM reported r WHERE r.office = d.office AND r.round = d.round)
            GROUP BY d.round
            """) {
            let (round, offices, units) = try row.decode((String?, Int, Int).self)
            update(round) { $0.officesNotReported = offices; $0.unitsNotReported = units }
        }
        for row in try await query("""
            SELECT CASE WHEN GROUPING(t.round) = 0 THEN t.round END, count(*)
            FROM rectify_ledger_tasks t JOIN rectify_task_extensions x ON x.task = t.id
            WHERE t.status IN ('not_started', 'in_progress') AND \(inScope)
            GROUP BY GROUPING SETS ((t.round), ())
            """) {
            let (round, extended) = try row.decode((String?, Int).self)
            update(round) { $0.tasksExtended = extended }
        }
        report.byRound = try await RoundFigures.rounds(rounds, on: connection)

        // Every city and county in scope has a row, zeros included: all of them, or those of the
        // round's province.
        for row in try await query("""
            WITH places AS (
                SELECT r.code, r.level, c.code AS city
                FROM rectify_ledger_regions r JOIN rectify_ledger_regions c ON c.code = CASE r.level WHEN 'county' THEN r.parent ELSE r.code END
                WHERE r.level IN ('city', 'county')
                  AND ($2::text IS NULL OR c.parent = (SELECT region FROM rectify_ledger_rounds WHERE id = $2::text))
            ), placed AS (
                SELECT p.code AS county, p.level, p.city, t.id, t.status, t.deadline, t.closed_on
                FROM places p LEFT JOIN rectify_ledger_tasks t ON t.region = p.code AND \(inScope)
            ), grouped AS (
                SELECT CASE WHEN GROUPING(t.county) = 0 THEN t.county ELSE t.city END AS region, \(taskAggregates)
                FROM placed t
                GROUP BY GROUPING SETS ((t.city), (t.city, t.county, t.level))
                HAVING GROUPING(t.county) = 1 OR t.level = 'county'
            )
            SELECT g.region, r.name, r.level, g.*
            FROM grouped g JOIN rectify_ledger_regions r ON r.code = g.region
            ORDER BY coalesce(CASE r.level WHEN 'county' THEN r.parent END, r.code), r.level, r.code
            """) {
            let (region, name, level) = try row.decode((String, String, String).self)
            report.byRegion.append(RegionFigures(region: region, name: name, level: level, figures: try taskFigures(row, from: 4)))
        }
        report.cityRanking = rankCities(report.byRegion)
        report.dueNextMonth = try await query("""
            SELECT t.id, t.title, t.lead_unit, u.name, t.region, r.name, c.name, t.deadline::text
            FROM rectify_ledger_tasks t
            JOIN rectify_ledger_units u ON u.id = t.lead_unit
            JOIN rectify_ledger_regions r ON r.code = t.region
            JOIN rectify_ledger_regions c ON c.code = CASE r.level WHEN 'county' THEN r.parent ELSE r.code END
            WHERE t.status IN ('not_started', 'in_progress') AND t.deadline BETWEEN $3::date AND $4::date AND \(inScope)
            ORDER BY c.code, t.region, t.lead_unit, t.deadline, t.id
            """).map { row in
            let (task, title, unit, unitName, region, regionName, cityName, deadline) = try row.decode(
                (String, String, String, String, String, String, String, String).self)
            return DueTask(task: task, taskTitle: title, unit: unit, unitName: unitName, region: region, regionName: regionName,
                           cityName: cityName, deadline: deadline)
        }
        return report
    }

    /// Cities by share of tasks on schedule, best first; ties share a rank and go by code.
    static func rankCities(_ regions: [RegionFigures]) -> [CityRank] {
        rank(regions.filter { $0.level == "city" }.map { (region: $0.region, name: $0.name, figures: $0.figures) })
    }

    /// Places by share of tasks on schedule (not overdue; 1 for a place without tasks), best
    /// first; ties share a rank and go by code.
    static func rank(_ places: [(region: String, name: String, figures: TaskFigures)]) -> [CityRank] {
        let sorted = places.map { place in
            let onSchedule = place.figures.tasksTotal - place.figures.tasksOverdue
            let share = place.figures.tasksTotal == 0 ? 1 : Double(onSchedule) / Double(place.figures.tasksTotal)
            return CityRank(rank: 0, region: place.region, name: place.name, tasksTotal: place.figures.tasksTotal,
                            tasksOnSchedule: onSchedule, shareOnSchedule: share)
        }.sorted { ($0.shareOnSchedule, $1.region) > ($1.shareOnSchedule, $0.region) }
        var ranked: [CityRank] = []
        for (index, place) in sorted.enumerated() {
            var place = place
            place.rank = index > 0 && ranked[index - 1].shareOnSchedule == place.shareOnSchedule ? ranked[index - 1].rank : index + 1
            ranked.append(place)
        }
        return ranked
    }
}
