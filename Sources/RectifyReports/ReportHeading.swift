import Foundation

/// What a rendered report says about itself: its period, who issued it, when, and under which number.
public struct ReportHeading: Sendable {
    /// `YYYY-MM`.
    public var period: String
    public var issuer: String
    /// `YYYY-MM-DD`.
    public var issuedOn: String
    public var number: String

    /// The heading of `report` as `configuration` signs it.
    public init(_ report: StoredReport, _ configuration: ReportConfiguration) {
        period = report.period
        issuer = configuration.issuer
        issuedOn = configuration.day(of: report.createdAt)
        number = configuration.documentNumber(period: report.period)
    }

    /// A heading given in full.
    public init(period: String, issuer: String, issuedOn: String, number: String) {
        (self.period, self.issuer, self.issuedOn, self.number) = (period, issuer, issuedOn, number)
    }
}
