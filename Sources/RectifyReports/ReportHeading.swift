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
    /// The document this one replaced when it was issued, and the one that replaced it.
    public var replaces: StoredReport.DocumentReference?
    public var replacedBy: StoredReport.DocumentReference?

    /// Whether the report is still a draft.
    public var isDraft: Bool { issuedOn == nil }

    /// The heading of `report`: as issued, or as `configuration` would sign the draft (and a
    /// report issued before documents kept their issuer).
    public init(_ report: StoredReport, _ configuration: ReportConfiguration) {
        period = report.period
        issuer = report.issue.map(\.issuer).flatMap { $0.isEmpty ? nil : $0 } ?? configuration.issuer
        issuedOn = report.issue?.issuedOn
        number = report.issue?.number
        replaces = report.replacedDocument
        replacedBy = report.replacement
    }
}
