import Foundation

/// The formats a report can be shown in.
public enum ReportFormat: String, Sendable, CaseIterable {
    case json, md, csv, html

    /// The file extension for ``ReportRendering/render(_:as:language:configuration:)``'s output.
    public var fileExtension: String { rawValue }
}

/// Renders a stored report in a format and language, by its kind.
public enum ReportRendering {
    /// The formats a report of `kind` can be rendered in: all of them, but a public disclosure
    /// is prose and has no CSV, and a kind rectify does not know only has its JSON.
    public static func formats(of kind: String) -> [ReportFormat] {
        switch kind {
        case ReportJobs.publicDisclosure: [.html, .md, .json]
        case _ where ReportJobs.kinds.contains(kind): [.html, .md, .csv, .json]
        default: [.json]
        }
    }

    /// The report as text: the document the office issues (Markdown, HTML) under its heading,
    /// as issued or as a draft that says it is one; its figures (JSON); its rows (CSV).
    ///
    /// - Throws: ``ReportError`` when the report's kind is not one rectify renders.
    public static func render(
        _ report: StoredReport, as format: ReportFormat, language l: ReportLanguage, configuration: ReportConfiguration = .init()
    ) throws -> String {
        if format == .json { return report.documentJSON + "\n" }
        let figures = Data(report.figuresJSON.utf8)
        let decoder = JSONDecoder()
        // An issued document is written in the words it was issued in, whatever the configuration says now.
        var configuration = configuration
        if let wording = report.issue?.wording { (configuration, configuration.timeZone) = (wording, configuration.timeZone) }
        let heading = ReportHeading(report, configuration)
        let document: OfficialDocument
        switch (report.kind, format) {
        case (ReportJobs.accountabilityTally, .csv):
            return TallyRenderer.csv(try decoder.decode(AccountabilityTally.self, from: figures), period: report.period, language: l)
        case (ReportJobs.accountabilityTally, _):
            document = TallyDocument.document(
                try decoder.decode(AccountabilityTally.self, from: figures), heading: heading, configuration: configuration, language: l)
        case (ReportJobs.monthlySchedule, .csv):
            return CSVRenderer.schedule(try decoder.decode(MonthlySchedule.self, from: figures), period: report.period, language: l)
        case (ReportJobs.monthlySchedule, _):
            document = ScheduleDocument.document(
                try decoder.decode(MonthlySchedule.self, from: figures), heading: heading, configuration: configuration, language: l)
        case (ReportJobs.nameAndShame, .csv):
            return CSVRenderer.notice(try decoder.decode(NameAndShame.self, from: figures), period: report.period, language: l)
        case (ReportJobs.nameAndShame, _):
            document = NoticeDocument.document(
                try decoder.decode(NameAndShame.self, from: figures), heading: heading, configuration: configuration, language: l)
        case (ReportJobs.publicDisclosure, .md), (ReportJobs.publicDisclosure, .html):
            document = DisclosureDocument.document(
                try decoder.decode(PublicDisclosure.self, from: figures), heading: heading, configuration: configuration, language: l)
        default:
            throw ReportError(message: "--format \(format.rawValue) is not available for \(report.kind) reports; use "
                + formats(of: report.kind).map(\.rawValue).joined(separator: ", "))
        }
        return format == .md ? document.markdown : document.html
    }
}
