public import Foundation
import RectifyDomain

/// How the office that issues the reports signs them: its name, the form of a notice's document
/// number (文号) and the time zone its dates are in.
public struct ReportConfiguration: Sendable, Equatable {
    /// The issuing office (`reports.issuer`).
    public var issuer = "省生态环境保护督察整改工作领导小组办公室"
    /// The document number (`reports.number_format`); `{year}` and `{month}` become the period's
    /// year and month.
    public var numberFormat = "督改办通〔{year}〕{month}号"
    /// The zone in which a report's date of issue is the day it was written.
    public var timeZone = TimeZone(identifier: "Asia/Shanghai")!

    /// The defaults.
    public init() {}

    /// The document number of a notice for `period` (`YYYY-MM`).
    public func documentNumber(period: String) -> String {
        let parts = period.split(separator: "-")
        guard parts.count == 2, let month = Int(parts[1]) else { return numberFormat }
        return numberFormat.replacingOccurrences(of: "{year}", with: String(parts[0]))
            .replacingOccurrences(of: "{month}", with: String(month))
    }

    /// The day, `YYYY-MM-DD`, that `date` falls on in ``timeZone``.
    public func day(of date: Date) -> String {
        Day(containing: date, in: timeZone).description
    }
}
