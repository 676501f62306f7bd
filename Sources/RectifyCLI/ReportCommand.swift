import ArgumentParser
import Foundation
import RectifyReports

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Read the reports the monthly jobs wrote back.",
        subcommands: [List.self, Show.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List reports, newest period first.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only this period (YYYY-MM).") var period: String?
        @Option(help: "Only this kind (monthly_schedule, name_and_shame, accountability_tally).") var kind: String?
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
            for report in reports {
                print("\(report.id)\t\(report.period)\t\(report.kind)\(report.round.map { "\t" + $0 } ?? "")\t\(formatter.string(from: report.createdAt))")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print one report.",
            discussion: "Markdown and CSV are available for the accountability tally; other kinds print JSON.")
        enum Format: String, ExpressibleByArgument, CaseIterable { case json, md, csv }

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The report id (see `rectify report list`).") var id: Int64
        @Option(help: "Output format.") var format: Format = .json
        @Option(help: "Labels in Chinese (zh) or English (en).") var lang: String = "zh"

        func run() async throws {
            guard let language = ReportLanguage(rawValue: lang) else {
                throw CommandError("--lang: \"\(lang)\" is not zh or en")
            }
            let logger = database.makeLogger()
            let report = try await database.withPool(logger: logger, maxConnections: 1) { try await ReportStore(pool: $0).report(id: id) }
            guard format != .json else { return print(report.documentJSON) }
            guard report.kind == ReportJobs.accountabilityTally else {
                throw CommandError("--format \(format.rawValue) is not available for \(report.kind) reports yet; use --format json")
            }
            let tally = try JSONDecoder().decode(AccountabilityTally.self, from: Data(report.figuresJSON.utf8))
            switch format {
            case .md: print(TallyRenderer.markdown(tally, period: report.period, language: language), terminator: "")
            case .csv: print(TallyRenderer.csv(tally, period: report.period, language: language), terminator: "")
            case .json: break
            }
        }
    }
}
