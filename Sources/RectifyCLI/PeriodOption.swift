import Foundation
import RectifyDomain

extension Period {
    /// A command's `--period`: the month given, or when none is, the month that just ended in
    /// `timeZone` (the province's, from the configuration).
    static func option(_ text: String?, defaultIn timeZone: TimeZone) throws -> Period {
        guard let text else { return Period(containing: Date(), in: timeZone).previous }
        guard let period = Period(text) else { throw CommandError("--period: \"\(text)\" is not a month YYYY-MM") }
        return period
    }
}
