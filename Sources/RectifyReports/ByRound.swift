import RectifyPostgres

/// A report's figures for one round, encoded as the figures' own keys plus `"round"` (the id)
/// and `"round_name"`, as the SPEC's `by_round` arrays are.
public struct ByRound<Figures: Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
    /// The round id.
    public var round: String
    /// The round's name, for people reading the report.
    public var name: String
    /// The round's figures.
    public var figures: Figures

    /// Pairs a round with its figures.
    public init(round: String, name: String, figures: Figures) {
        self.round = round
        self.name = name
        self.figures = figures
    }

    public init(from decoder: any Decoder) throws {
        figures = try Figures(from: decoder)
        let container = try decoder.container(keyedBy: Key.self)
        round = try container.decode(String.self, forKey: .round)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? round
    }

    public func encode(to encoder: any Encoder) throws {
        try figures.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(round, forKey: .round)
        try container.encode(name, forKey: .name)
    }

    private enum Key: String, CodingKey { case round, name = "round_name" }

    /// `figures` per round id, ordered by id and named from the ledger.
    static func rounds(_ figures: [String: Figures], on connection: isolated PostgresConnection) async throws -> [ByRound] {
        let ids = figures.keys.sorted()
        var names: [String: String] = [:]
        for row in try await connection.query("SELECT id, name FROM rectify_ledger_rounds WHERE id = ANY(\(ids)::text[])") {
            let (id, name) = try row.decode((String, String).self)
            names[id] = name
        }
        return ids.map { ByRound(round: $0, name: names[$0] ?? $0, figures: figures[$0]!) }
    }
}
