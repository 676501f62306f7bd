public import RectifyDomain

/// What a rendered report says about itself: its period, who issues it, and once issued, the
/// day (成文日期) and, for a notice, the number (文号) that issuing fixed.
public struct ReportHeading: Sendable {
    /// `YYYY-MM`.
    public var period: String
    /// The issuer fixed at issue; the configured one while a draft.
    public var issuer: String
    /// The 成文日期; `nil` while a draft.
    public var issuedOn: Day?
    /// The 文号; `nil` while a draft and for kinds without one.
    public var number: String?

    /// Whether the report is still a draft.
    public var isDraft: Bool { issuedOn == nil }

    /// The heading of `report`: as issued, or as `configuration` would sign the draft.
    public init(_ report: StoredReport, _ configuration: ReportConfiguration) {
        period = report.period
        issuer = report.issue?.issuer ?? configuration.issuer
        issuedOn = report.issue?.issuedOn
        number = report.issue?.number
    }

    /// A heading given in full.
    public init(period: String, issuer: String, issuedOn: Day?, number: String?) {
        (self.period, self.issuer, self.issuedOn, self.number) = (period, issuer, issuedOn, number)
    }
}
