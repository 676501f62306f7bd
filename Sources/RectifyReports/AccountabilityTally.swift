import RectifyDomain
import RectifyPostgres

/// The accountability tally (问责统计) of a period: cases opened by the period's last day,
/// those concluded by then, and the units and persons they hold responsible.
///
/// A unit is held once per case that names it, and a person once per case, so a unit named
/// in two cases counts twice. Every rank and every sanction is a key, with 0 when none.
public struct AccountabilityTally: Sendable, Hashable, Codable {
    /// The figures of the whole scope, or of one round.
    public struct Figures: Sendable, Hashable, Codable {
        public var casesTotal = 0
        public var casesConcluded = 0
        public var unitsHeld = 0
        public var personsHeld = 0
        public var personsByRank: [String: Int] = Dictionary(uniqueKeysWithValues: CadreRank.allCases.map { ($0.rawValue, 0) })
        public var personsBySanction: [String: Int] = Dictionary(uniqueKeysWithValues: Sanction.allCases.map { ($0.rawValue, 0) })

        enum CodingKeys: String, CodingKey {
            case casesTotal = "cases_total", casesConcluded = "cases_concluded", unitsHeld = "units_held"
            case personsHeld = "persons_held", personsByRank = "persons_by_rank", personsBySanction = "persons_by_sanction"
        }
    }

    /// One round's figures.
    public typealias RoundFigures = ByRound<Figures>

    /// The overall figures.
    public var overall = Figures()
    /// The same figures per round, ordered by round id.
    public var byRound: [RoundFigures] = []

    /// Creates an empty tally.
    public init() {}

    /// The SPEC's shape: overall figures directly in `figures`, per-round ones in `by_round`.
    public func encode(to encoder: any Encoder) throws {
        try overall.encode(to: encoder)
        var container = encoder.container(keyedBy: ByRoundKey.self)
        try container.encode(byRound, forKey: .byRound)
    }

    public init(from decoder: any Decoder) throws {
        overall = try Figures(from: decoder)
        byRound = try decoder.container(keyedBy: ByRoundKey.self).decode([RoundFigures].self, forKey: .byRound)
    }

    private enum ByRoundKey: String, CodingKey { case byRound = "by_round" }

    /// Computes the tally set-based in SQL on `connection` (inside the job's transaction).
    static func compute(period: Period, round: String?, on connection: isolated PostgresConnection) async throws -> AccountabilityTally {
        let lastDay = "\(period.lastDay)"
        let scope = """
            WITH scope AS (
                SELECT id, round, (concluded_on IS NOT NULL AND concluded_on <= $1::date) AS concluded
                FROM rectify_ledger_cases
                WHERE opened_on <= $1::date AND ($2::text IS NULL OR round = $2::text)
            ), held_units AS (
                SELECT DISTINCT s.round, u.case_id, u.unit
                FROM scope s JOIN rectify_ledger_case_units u ON u.case_id = s.id
            ), held_persons AS (
                SELECT DISTINCT ON (p.case_id, p.name, p.position) s.round, p.rank, p.sanction
                FROM scope s JOIN rectify_ledger_case_persons p ON p.case_id = s.id
                ORDER BY p.case_id, p.name, p.position, p.ordinal
            )
            """
        var tally = AccountabilityTally()
        var rounds: [String: Figures] = [:]
        func update(_ round: String?, _ change: (inout Figures) -> Void) {
            if let round { change(&rounds[round, default: Figures()]) } else { change(&tally.overall) }
        }
        let binds: [any PostgresBindable] = [lastDay, round]
        for row in try await connection.query(PostgresQuery(sql: scope + """
            SELECT CASE WHEN GROUPING(round) = 0 THEN round END, count(*), count(*) FILTER (WHERE concluded)
            FROM scope GROUP BY GROUPING SETS ((round), ())
            """, binds: binds)) {
            let (round, total, concluded) = try row.decode((String?, Int, Int).self)
            update(round) { $0.casesTotal = total; $0.casesConcluded = concluded }
        }
        for row in try await connection.query(PostgresQuery(sql: scope + """
            SELECT CASE WHEN GROUPING(round) = 0 THEN round END, count(*) FROM held_units GROUP BY GROUPING SETS ((round), ())
            """, binds: binds)) {
            let (round, units) = try row.decode((String?, Int).self)
            update(round) { $0.unitsHeld = units }
        }
        for row in try await connection.query(PostgresQuery(sql: scope + """
            SELECT CASE WHEN GROUPING(round) = 0 THEN round END, rank, sanction, count(*)
            FROM held_persons GROUP BY GROUPING SETS ((round, rank, sanction), (rank, sanction))
            """, binds: binds)) {
            let (round, rank, sanction, persons) = try row.decode((String?, String, String, Int).self)
            update(round) { figures in
                figures.personsHeld += persons
                figures.personsByRank[rank, default: 0] += persons
                figures.personsBySanction[sanction, default: 0] += persons
            }
        }
        tally.byRound = try await RoundFigures.rounds(rounds, on: connection)
        return tally
    }
}
