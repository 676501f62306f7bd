/// A report's figures for one round, encoded as the figures' own keys plus `"round"`, as the
/// SPEC's `by_round` arrays are.
public struct ByRound<Figures: Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
    /// The round id.
    public var round: String
    /// The round's figures.
    public var figures: Figures

    /// Pairs a round with its figures.
    public init(round: String, figures: Figures) {
        self.round = round
        self.figures = figures
    }

    public init(from decoder: any Decoder) throws {
        figures = try Figures(from: decoder)
        round = try decoder.container(keyedBy: Key.self).decode(String.self, forKey: .round)
    }

    public func encode(to encoder: any Encoder) throws {
        try figures.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(round, forKey: .round)
    }

    private enum Key: String, CodingKey { case round }
}
