/// A value written in JSON as one string in a fixed format, parsed by `init?(_:)` and printed
/// by `description`.
protocol TextCodable: Codable, CustomStringConvertible {
    /// Parses the text form; `nil` when the text is not in the format.
    init?(_ text: String)
    /// The format for error messages: "a date YYYY-MM-DD".
    static var textFormat: String { get }
}

extension TextCodable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not \(Self.textFormat)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
