import ArgumentParser
import Foundation
import RectifyConfig
import RectifyDomain
import RectifyReports

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Read the reports the monthly jobs wrote back, and issue them (签发).",
        subcommands: [List.self, Show.self, Issue.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List reports, newest period first.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only this period (YYYY-MM).") var period: String?
        @Option(help: "Only this kind (monthly_schedule, name_and_shame, accountability_tally, public_disclosure).") var kind: String?
        @Flag(help: "Print a JSON array of {id, kind, period, created_at, status}, plus issued_on, number and issuer once issued.") var json = false

        func run() async throws {
            let logger = database.makeLogger()
            let reports = try await database.withPool(logger: logger, maxConnections: 1) {
                try await ReportStore(pool: $0).list(period: period, kind: kind)
            }
            let formatter = ISO8601DateFormatter()
            if json {
                print(String(decoding: try JSONSerialization.data(withJSONObject: reports.map(\.header), options: [.sortedKeys]), as: UTF8.self))
                return
            }
            guard !reports.isEmpty else { return print("no reports") }
            let header = ["id", "period", "report", "kind", "round", "status", "number", "written"]
            let rows = reports.map { report in
                [String(report.id), report.period, ReportJobs.name(of: report.kind), report.kind, report.round ?? "all",
                 status(report), report.issue?.number ?? "", formatter.string(from: report.createdAt)]
            }
            print(TextTable.render(header: header, rows: rows))
        }

        /// draft, issued 2026-12-03, or replaced by 41.
        private func status(_ report: StoredReport) -> String {
            if let by = report.replacedBy { return "replaced by \(by)" }
            return report.issue.map { "issued \($0.issuedOn)" } ?? "draft"
        }
    }

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a draft report (签发): fix its date and, for a notice, its number, and send its notifications.",
            discussion: """
                A report job writes a draft; nothing reaches the units until the province issues it. Issuing \
                dates the document (成文日期, today in the scheduler's time zone unless --on says otherwise, \
                never a day inside its period) and gives a name-and-shame notice the next number of that \
                year (reports.number_format). A re-run of the month replaces the draft, never an issued \
                document; --reissue issues a new document in place of the one in force, which it names.
                """)

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The report id (see `rectify report list`): a draft, or with --reissue an issued document.") var id: Int64
        @Flag(help: "Issue a new document in place of the one in force (a new date and number).") var reissue = false
        @Option(help: "The 成文日期 (YYYY-MM-DD); default today. Not after today, and after the period's last day.") var on: String?
        @Option(help: "Who issues it, kept with the document; default the user running the command.") var by: String?

        func run() async throws {
            let settings = try database.settings()
            let configuration = settings.reportConfiguration
            let today = Day(containing: Date(), in: configuration.timeZone)
            let day: Day
            if let on {
                guard let parsed = Day(on) else { throw CommandError("--on: \"\(on)\" is not a day YYYY-MM-DD") }
                guard parsed <= today else { throw CommandError("--on: \(parsed) is after today (\(today) in \(configuration.timeZone.identifier))") }
                day = parsed
            } else {
                day = today
            }
            let issuer = by ?? ProcessInfo.processInfo.environment["USER"].map { "\($0) (command line)" } ?? "command line"
            let logger = database.makeLogger()
            let report = try await database.withPool(logger: logger, maxConnections: 1) { pool in
                do {
                    return try await ReportStore(pool: pool).issue(id: id, on: day, by: issuer, reissue: reissue, configuration: configuration)
                } catch let error as ReportError {
                    throw CommandError(error.message)
                }
            }
            print(Self.confirmation(of: report))
        }

        /// "report 10 (点名通报 2026-11) issued on 2026-12-05 as 冀督改办通〔2026〕3号, replacing report 6".
        private static func confirmation(of report: StoredReport) -> String {
            var line = "report \(report.id) (\(ReportJobs.name(of: report.kind)) \(report.period)) issued"
            if let issue = report.issue {
                line += " on \(issue.issuedOn)"
                if let number = issue.number { line += " as \(number)" }
            }
            if let replaced = report.replacedDocument { line += ", replacing report \(replaced.id)" }
            return line
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print one report.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The report id (see `rectify report list`).") var id: Int64
        @Option(help: "Output format: json, md, html or csv (in Chinese a CSV starts with a byte order mark, for Excel; scripts take --lang en).") var format: String = "json"
        @Option(help: "Labels in Chinese (zh) or English (en).") var lang: String = "zh"

        func run() async throws {
            guard let format = ReportFormat(rawValue: format) else { throw CommandError("--format: \"\(format)\" is not json, md, html or csv") }
            guard let language = ReportLanguage(rawValue: lang) else { throw CommandError("--lang: \"\(lang)\" is not zh or en") }
            let logger = database.makeLogger()
            let report = try await database.withPool(logger: logger, maxConnections: 1) { try await ReportStore(pool: $0).report(id: id) }
            let configuration = try database.settings().reportConfiguration
            print(try ReportRendering.render(report, as: format, language: language, configuration: configuration), terminator: "")
        }
    }
}
