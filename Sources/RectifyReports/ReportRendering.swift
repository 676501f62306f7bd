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

    /// The report as text; a notice is signed by `configuration`'s issuer, number and date.
    ///
    /// - Throws: ``ReportError`` when the report's kind is not one rectify renders.
    public static func render(
        _ report: StoredReport, as format: ReportFormat, language l: ReportLanguage, configuration: ReportConfiguration = .init()
    ) throws -> String {
        if format == .json { return report.documentJSON + "\n" }
        let figures = Data(report.figuresJSON.utf8)
        let decoder = JSONDecoder()
        let period = report.period
        switch report.kind {
        case ReportJobs.accountabilityTally:
            let tally = try decoder.decode(AccountabilityTally.self, from: figures)
            switch format {
            case .md: return TallyRenderer.markdown(tally, period: period, language: l)
            case .csv: return TallyRenderer.csv(tally, period: period, language: l)
            default: return HTMLRenderer.tally(tally, period: period, language: l)
            }
        case ReportJobs.monthlySchedule:
            let schedule = try decoder.decode(MonthlySchedule.self, from: figures)
            switch format {
            case .md: return ScheduleRenderer.markdown(schedule, period: period, language: l)
            case .csv: return CSVRenderer.schedule(schedule, period: period, language: l)
            default: return HTMLRenderer.schedule(schedule, period: period, language: l)
            }
        case ReportJobs.nameAndShame:
            let notice = try decoder.decode(NameAndShame.self, from: figures)
            let heading = ReportHeading(report, configuration)
            switch format {
            case .md: return NoticeRenderer.markdown(notice, heading: heading, language: l)
            case .csv: return CSVRenderer.notice(notice, period: period, language: l)
            default: return HTMLRenderer.notice(notice, heading: heading, language: l)
            }
        case ReportJobs.publicDisclosure where format != .csv:
            let disclosure = try decoder.decode(PublicDisclosure.self, from: figures)
            return format == .md
                ? DisclosureRenderer.markdown(disclosure, period: period, language: l)
                : DisclosureRenderer.html(disclosure, period: period, language: l)
        default:
            throw ReportError(message: "--format \(format.rawValue) is not available for \(report.kind) reports; use "
                + formats(of: report.kind).map(\.rawValue).joined(separator: ", "))
        }
    }
}
