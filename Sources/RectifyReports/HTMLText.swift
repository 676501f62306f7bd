/// Text made safe to place in HTML, for the reports' pages and the ops page alike.
public enum HTMLText {
    /// Escapes the characters HTML gives meaning to (`& < > " '`), so the text reads as itself
    /// in element content and in quoted attribute values.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        // By Unicode scalar, not by character: a quote followed by a combining mark is one
        // character, which would not match `"` and would end an attribute unescaped.
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
