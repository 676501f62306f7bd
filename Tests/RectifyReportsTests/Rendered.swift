import Foundation
import RectifyDomain
import RectifyReports

/// `figures` rendered as a report of `kind` for `period`: issued on `issuedOn` (with `number`),
/// or a draft when `issuedOn` is nil.
func rendered<Figures: Encodable>(
    _ kind: String, _ figures: Figures, period: String, as format: ReportFormat = .md, language: ReportLanguage = .zh,
    issuedOn: String? = "2026-11-05", number: String? = nil, configuration: ReportConfiguration = .init()
) throws -> String {
    let json = String(decoding: try JSONEncoder().encode(figures), as: UTF8.self)
    let issue = issuedOn.flatMap(Day.init).map {
        StoredReport.Issue(issuedOn: $0, issuer: configuration.issuer, number: number, issuedBy: "test")
    }
    let report = StoredReport(id: 1, kind: kind, period: period, figuresJSON: json, issue: issue)
    return try ReportRendering.render(report, as: format, language: language, configuration: configuration)
}
