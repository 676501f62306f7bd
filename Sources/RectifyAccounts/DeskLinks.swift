/// The desk's paths that are handed out outside it.
public enum DeskLinks {
    /// Where a person sets their password with a one-time link's secret.
    public static func password(_ secret: String) -> String { "/desk/password/\(secret)" }
}
