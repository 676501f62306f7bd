import RectifyDomain
import RectifyPostgres

/// The accountability tally (问责统计) of a period: cases opened by the period's last day,
/// those concluded by then, and the units and persons the concluded cases hold responsible.
///
/// A unit is held once per concluded case that names it, and a person once per concluded case,
/// so a unit named in two cases counts twice; an open case counts in `cases_total` only (正在办理),
/// since no sanction is published before it concludes. Every rank and every sanction is a key,
/// with 0 when none. Cases are also split by source (transferred by the inspection group, the
/// province's own) and by place, with those concluded in the period (本月新增).
public struct AccountabilityTally: Sendable, Hashable, Codable {
    /// The figures of the whole scope, or of one round.
    public struct Figures: Sendable, Hashable, Codable {
        public var casesTotal = 0
        public var casesConcluded = 0
        /// Concluded on a day of the period: 本月新增办结.
        public var casesConcludedInPeriod = 0
        /// Transferred by the inspection group (督察组移交).
        public var casesTransferred = 0
        public var casesTransferredConcluded = 0
        public var unitsHeld = 0
        public var personsHeld = 0
        public var personsByRank: [String: Int] = Dictionary(uniqueKeysWithValues: CadreRank.allCases.map { ($0.rawValue, 0) })
        public var personsBySanction: [String: Int] = Dictionary(uniqueKeysWithValues: Sanction.allCases.map { ($0.rawValue, 0) })

        /// Cases still being handled (正在办理).
        public var casesOpen: Int { casesTotal - casesConcluded }

        enum CodingKeys: String, CodingKey {
            case casesTotal = "cases_total", casesConcluded = "cases_concluded", unitsHeld = "units_held"
            case casesConcludedInPeriod = "cases_concluded_in_period", casesTransferred = "cases_transferred"
            case casesTransferredConcluded = "cases_transferred_concluded"
            case personsHeld = "persons_held", personsByRank = "persons_by_rank", personsBySanction = "persons_by_sanction"
        }

        public init() {}

        /// Reads the figures; a tally written before a figure existed reads it as 0.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            casesTotal = try c.decode(Int.self, forKey: .casesTotal)
            casesConcluded = try c.decode(Int.self, forKey: .casesConcluded)
            casesConcludedInPeriod = try c.decodeIfPresent(Int.self, forKey: .casesConcludedInPeriod) ?? 0
            casesTransferred = try c.decodeIfPresent(Int.self, forKey: .casesTransferred) ?? 0
            casesTransferredConcluded = try c.decodeIfPresent(Int.self, forKey: .casesTransferredConcluded) ?? 0
            unitsHeld = try c.decode(Int.self, forKey: .unitsHeld)
            personsHeld = try c.decode(Int.self, forKey: .personsHeld)
            personsByRank = try c.decode([String: Int].self, forKey: .personsByRank)
            personsBySanction = try c.decode([String: Int].self, forKey: .personsBySanction)
        }
    }

    /// One place's cases, by source: a city (its counties' included; the province's own
    /// departments under the province), or a county with cases.
    public struct PlaceCases: Sendable, Hashable, Codable {
        public var region: String
        public var name: String
        /// `province`, `city` or `county`.
        public var level: String
        public var casesTransferred: Int
        public var casesProvincial: Int
        public var casesConcluded: Int
        public var casesConcludedInPeriod: Int
        public var unitsHeld: Int
        public var personsHeld: Int

        enum CodingKeys: String, CodingKey {
            case region, name, level, casesTransferred = "cases_transferred", casesProvincial = "cases_provincial"
            case casesConcluded = "cases_concluded", casesConcludedInPeriod = "cases_concluded_in_period"
            case unitsHeld = "units_held", personsHeld = "persons_held"
        }

        /// The difference of two places' counts (a city less a county listed apart).
        func subtracting(_ other: PlaceCases) -> PlaceCases {
            var place = self
            place.casesTransferred -= other.casesTransferred
            place.casesProvincial -= other.casesProvincial
            place.casesConcluded -= other.casesConcluded
            place.casesConcludedInPeriod -= other.casesConcludedInPeriod
            place.unitsHeld -= other.unitsHeld
            place.personsHeld -= other.personsHeld
            return place
        }
    }

    /// One round's figures.
    public typealias RoundFigures = ByRound<Figures>

    /// The overall figures.
    public var overall = Figures()
    /// The same figures per round, ordered by round id.
    public var byRound: [RoundFigures] = []
    /// Cases per place with any: the province's own first, then each city followed by its
    /// counties that have cases.
    public var byPlace: [PlaceCases] = []

    /// Creates an empty tally.
    public init() {}

    /// The SPEC's shape: overall figures directly in `figures`, per-round ones in `by_round`.
    public func encode(to encoder: any Encoder) throws {
        try overall.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(byRound, forKey: .byRound)
        try container.encode(byPlace, forKey: .byPlace)
    }

    public init(from decoder: any Decoder) throws {
        overall = try Figures(from: decoder)
        let container = try decoder.container(keyedBy: Key.self)
        byRound = try container.decode([RoundFigures].self, forKey: .byRound)
        byPlace = try container.decodeIfPresent([PlaceCases].self, forKey: .byPlace) ?? []
    }

    private enum Key: String, CodingKey { case byRound = "by_round", byPlace = "by_place" }

    /// Computes the tally set-based in SQL on `connection` (inside the job's transaction).
    static func compute(period: Period, round: String?, on connection: isolated PostgresConnection) async throws -> AccountabilityTally {
        // A case counts once opened by the period's end; its units and persons once concluded by then.
        let scope = """
            WITH scope AS (
                SELECT c.id, c.round, c.region, c.source = 'transferred_by_inspection' AS transferred,
                       (c.concluded_on IS NOT NULL AND c.concluded_on <= $1::date) AS concluded,
                       (c.concluded_on BETWEEN $3::date AND $1::date) AS concluded_in_period
                FROM rectify_ledger_cases c
                WHERE c.opened_on <= $1::date AND ($2::text IS NULL OR c.round = $2::text)
            ), held_units AS (
                SELECT DISTINCT s.round, s.region, u.case_id, u.unit
                FROM scope s JOIN rectify_ledger_case_units u ON u.case_id = s.id WHERE s.concluded
            ), held_persons AS (
                SELECT DISTINCT ON (p.case_id, p.name, p.position) p.case_id, s.round, s.region, p.rank, p.sanction
                FROM scope s JOIN rectify_ledger_case_persons p ON p.case_id = s.id WHERE s.concluded
                ORDER BY p.case_id, p.name, p.position, p.ordinal
            )
            """
        var tally = AccountabilityTally()
        var rounds: [String: Figures] = [:]
        func update(_ round: String?, _ change: (inout Figures) -> Void) {
            if let round { change(&rounds[round, default: Figures()]) } else { change(&tally.overall) }
        }
        let binds: [any PostgresBindable] = ["\(period.lastDay)", round, "\(period.firstDay)"]
        for row in try await connection.query(PostgresQuery(sql: scope + """
            SELECT CASE WHEN GROUPING(round) = 0 THEN round END, count(*), count(*) FILTER (WHERE concluded),
                   count(*) FILTER (WHERE concluded_in_period), count(*) FILTER (WHERE transferred),
                   count(*) FILTER (WHERE transferred AND concluded)
            FROM scope GROUP BY GROUPING SETS ((round), ())
            """, binds: binds)) {
            let (round, total, concluded, inPeriod, transferred, transferredConcluded) = try row.decode((String?, Int, Int, Int, Int, Int).self)
            update(round) {
                ($0.casesTotal, $0.casesConcluded, $0.casesConcludedInPeriod) = (total, concluded, inPeriod)
                ($0.casesTransferred, $0.casesTransferredConcluded) = (transferred, transferredConcluded)
            }
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
        tally.byPlace = try await connection.query(PostgresQuery(sql: scope + """
            , placed AS (
                SELECT s.id, CASE r.level WHEN 'county' THEN r.parent ELSE r.code END AS city,
                       CASE r.level WHEN 'county' THEN r.code END AS county
                FROM scope s JOIN rectify_ledger_regions r ON r.code = s.region
            ), places AS (
                SELECT id, city AS place FROM placed
                UNION ALL SELECT id, county FROM placed WHERE county IS NOT NULL
            ), cases AS (
                SELECT p.place, count(*) FILTER (WHERE s.transferred) AS transferred, count(*) FILTER (WHERE NOT s.transferred) AS own,
                       count(*) FILTER (WHERE s.concluded) AS concluded, count(*) FILTER (WHERE s.concluded_in_period) AS in_period
                FROM places p JOIN scope s ON s.id = p.id GROUP BY p.place
            ), units AS (
                SELECT q.place, count(*) AS held FROM held_units u JOIN places q ON q.id = u.case_id GROUP BY q.place
            ), persons AS (
                SELECT q.place, count(*) AS held FROM held_persons h JOIN places q ON q.id = h.case_id GROUP BY q.place
            )
            SELECT c.place, g.name, g.level, c.transferred, c.own, c.concluded, c.in_period,
                   coalesce(u.held, 0), coalesce(p.held, 0)
            FROM cases c JOIN rectify_ledger_regions g ON g.code = c.place
            LEFT JOIN units u ON u.place = c.place LEFT JOIN persons p ON p.place = c.place
            ORDER BY g.level = 'province' DESC, coalesce(CASE g.level WHEN 'county' THEN g.parent END, c.place), g.level, c.place
            """, binds: binds)).map { row in
            let (region, name, level, transferred, provincial, concluded, inPeriod, units, persons) = try row.decode(
                (String, String, String, Int, Int, Int, Int, Int, Int).self)
            return PlaceCases(region: region, name: name, level: level, casesTransferred: transferred, casesProvincial: provincial,
                              casesConcluded: concluded, casesConcludedInPeriod: inPeriod, unitsHeld: units, personsHeld: persons)
        }
        tally.byRound = try await RoundFigures.rounds(rounds, on: connection)
        return tally
    }
}
