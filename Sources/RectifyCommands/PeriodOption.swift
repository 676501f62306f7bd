import Foundation
import RectifyDomain
import RectifyReports

extension Period {
    /// A command's `--period`: the month given, or when none is, the month that just ended in
    /// `timeZone` (the province's, from the configuration).
    /// A month that has not ended yet is refused: its figures are taken as of its last day.
    static func option(_ text: String?, defaultIn timeZone: TimeZone) throws -> Period {
        guard let text else { return Period(containing: Date(), in: timeZone).previous }
        guard let period = Period(text) else { throw CommandError("--period: \"\(text)\" is not a month YYYY-MM") }
        do {
            try ReportJobs.checkEnded(period, at: Date(), in: timeZone)
        } catch {
            throw CommandError("--period: \(error)")
        }
        return period
    }
}
