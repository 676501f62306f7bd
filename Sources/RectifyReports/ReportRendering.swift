import Foundation

/// The formats a report can be shown in.
public enum ReportFormat: String, Sendable, CaseIterable {
    case json, md, csv, html

    /// The file extension for ``ReportRendering/render(_:as:language:)``'s output.
    public var fileExtension: String { rawValue }
}

/// Renders a stored report in a format and language, by its kind.
public enum ReportRendering {
    /// The report as text.
    ///
    /// - Throws: ``ReportError`` when the report's kind is not one rectify renders.
    public static func render(_ report: StoredReport, as format: ReportFormat, language: ReportLanguage) throws -> String {
        if format == .json { return report.documentJSON + "\n" }
        let figures = Data(report.figuresJSON.utf8)
        let decoder = JSONDecoder()
        switch (report.kind, format) {
        case (ReportJobs.accountabilityTally, .md):
            return TallyRenderer.markdown(try decoder.decode(AccountabilityTally.self, from: figures), period: report.period, language: language)
        case (ReportJobs.accountabilityTally, .csv):
            return TallyRenderer.csv(try decoder.decode(AccountabilityTally.self, from: figures), period: report.period, language: language)
        case (ReportJobs.monthlySchedule, .md):
            return ScheduleRenderer.markdown(try decoder.decode(MonthlySchedule.self, from: figures), period: report.period, language: language)
        case (ReportJobs.nameAndShame, .md):
            return NoticeRenderer.markdown(try decoder.decode(NameAndShame.self, from: figures), period: report.period, language: language)
        case (ReportJobs.monthlySchedule, .csv):
            return CSVRenderer.schedule(try decoder.decode(MonthlySchedule.self, from: figures), period: report.period, language: language)
        case (ReportJobs.nameAndShame, .csv):
            return CSVRenderer.notice(try decoder.decode(NameAndShame.self, from: figures), period: report.period, language: language)
        case (ReportJobs.accountabilityTally, .html):
            return HTMLRenderer.tally(try decoder.decode(AccountabilityTally.self, from: figures), period: report.period, language: language)
        case (ReportJobs.monthlySchedule, .html):
            return HTMLRenderer.schedule(try decoder.decode(MonthlySchedule.self, from: figures), period: report.period, language: language)
        case (ReportJobs.nameAndShame, .html):
            return HTMLRenderer.notice(try decoder.decode(NameAndShame.self, from: figures), period: report.period, language: language)
        default:
            throw ReportError(message: "--format \(format.rawValue) is not available for \(report.kind) reports; use json")
        }
    }
}
