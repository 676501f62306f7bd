/// The one rule for control characters in what people and systems send: none at all (NUL cuts a
/// C string short in libpq), except tabs and line breaks in free text.
public enum ControlCharacters {
    /// The first control character in `text`, or `nil`; `lineBreaks` allows tab, LF and CR.
    public static func first(in text: String, lineBreaks: Bool = false) -> Unicode.Scalar? {
        // The control characters (general category Cc) are exactly U+0000–U+001F and U+007F–U+009F.
        text.unicodeScalars.first { scalar in
            (scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value))
                && !(lineBreaks && (scalar == "\t" || scalar == "\n" || scalar == "\r"))
        }
    }

    /// Whether `text` holds a control character (tab and line breaks allowed with `lineBreaks`).
    public static func contained(in text: String, lineBreaks: Bool = false) -> Bool {
        first(in: text, lineBreaks: lineBreaks) != nil
    }
}

extension String {
    /// Whether the text is empty or only whitespace (Unicode's `White_Space`, line breaks
    /// included, and the zero-width space, as Foundation's `whitespacesAndNewlines` counts it): a
    /// required field that says nothing.
    public var isBlank: Bool {
        // Text that starts with a visible ASCII character is not blank; only the rest needs
        // Unicode's whitespace table.
        if let first = utf8.first, first > 0x20, first < 0x7F { return false }
        return unicodeScalars.allSatisfy { $0.properties.isWhitespace || $0 == "\u{200B}" }
    }
}
