import ArgumentParser
import Foundation
import RectifyConfig
import RectifyReports

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Read the reports the monthly jobs wrote back.",
        subcommands: [List.self, Show.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List reports, newest period first.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only this period (YYYY-MM).") var period: String?
        @Option(help: "Only this kind (monthly_schedule, name_and_shame, accountability_tally, public_disclosure).") var kind: String?
        @Flag(help: "Print a JSON array of {id, kind, period, created_at}.") var json = false

        func run() async throws {
            let logger = database.makeLogger()
            let reports = try await database.withPool(logger: logger, maxConnections: 1) {
                try await ReportStore(pool: $0).list(period: period, kind: kind)
            }
            let formatter = ISO8601DateFormatter()
            if json {
                let items = reports.map { ["id": $0.id, "kind": $0.kind, "period": $0.period, "created_at": formatter.string(from: $0.createdAt)] as [String: Any] }
                print(String(decoding: try JSONSerialization.data(withJSONObject: items, options: [.sortedKeys]), as: UTF8.self))
                return
            }
            guard !reports.isEmpty else { return print("no reports") }
            let header = ["id", "period", "report", "kind", "round", "written"]
            let rows = reports.map { report in
                [String(report.id), report.period, ReportJobs.name(of: report.kind), report.kind, report.round ?? "all",
                 formatter.string(from: report.createdAt)]
            }
            print(TextTable.render(header: header, rows: rows))
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
