import Foundation
import RectifyDomain

/// The accountability tally as an office reads it: Markdown for the notice, CSV for the
/// spreadsheet. Ranks and sanctions are listed in the SPEC's order, every one even at 0.
public enum TallyRenderer {
    /// Markdown with a summary table, persons by rank and by sanction, and one row per round.
    public static func markdown(_ tally: AccountabilityTally, period: String, language: ReportLanguage) -> String {
        let l = language
        let overall = tally.overall
        var lines = [
            "# " + ReportTitles.title(ReportJobs.accountabilityTally, period, l), "", ReportTitles.asOf(period, l), "",
            "| \(l.text("指标", "Figure")) | \(l.text("数值", "Value")) |", "| --- | ---: |",
        ] + summary(overall, l).map { "| \($0[0]) | \($0[1]) |" } + [
            "",
            "## " + l.text("被问责人员按干部层级", "Persons held by cadre rank"), "",
            "| \(l.text("干部层级", "Cadre rank")) | \(l.text("人次", "Persons")) |", "| --- | ---: |",
        ]
        lines += CadreRank.allCases.map { "| \(l.name(of: $0.rawValue)) | \(overall.personsByRank[$0.rawValue] ?? 0) |" }
        lines += ["", "## " + l.text("被问责人员按问责方式", "Persons held by sanction"), "",
                  "| \(l.text("问责方式", "Sanction")) | \(l.text("人次", "Persons")) |", "| --- | ---: |"]
        lines += Sanction.allCases.map { "| \(l.name(ofSanction: $0.rawValue)) | \(overall.personsBySanction[$0.rawValue] ?? 0) |" }
        if !tally.byRound.isEmpty {
            lines += ["", "## " + l.text("分轮次", "By round"), "",
                      "| \(l.text("督察轮次", "Round")) | \(l.text("问责案件", "Cases")) | \(l.text("已办结", "Concluded")) | "
                        + "\(l.text("单位（家次）", "Units held")) | \(l.text("人员（人次）", "Persons held")) |",
                      "| --- | ---: | ---: | ---: | ---: |"]
            lines += tally.byRound.map { round in
                let f = round.figures
                return "| \(ReportTitles.round(round.round, round.name, l)) | \(f.casesTotal) | \(f.casesConcluded) | \(f.unitsHeld) | \(f.personsHeld) |"
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The summary rows, label and value, shared by the Markdown and HTML forms.
    static func summary(_ figures: AccountabilityTally.Figures, _ l: ReportLanguage) -> [[String]] {
        [
            [l.text("问责案件", "Cases"), "\(figures.casesTotal)"],
            [l.text("已办结案件", "Cases concluded"), "\(figures.casesConcluded)"],
            [l.text("被问责单位（家次）", "Units held (per case)"), "\(figures.unitsHeld)"],
            [l.text("被问责人员（人次）", "Persons held (per case)"), "\(figures.personsHeld)"],
        ]
    }

    /// CSV: one row for the whole scope, then one per round (with its name); a column per figure, rank and sanction.
    /// In Chinese the rank columns read 县处级干部 and the like, so that neither list's 其他 is
    /// ambiguous beside the other's (其他人员, 其他问责方式).
    public static func csv(_ tally: AccountabilityTally, period: String, language: ReportLanguage) -> String {
        let l = language
        let header = [l.text("月份", "period"), l.text("范围", "scope"), l.text("名称", "name"), l.text("问责案件", "cases_total"),
                      l.text("已办结案件", "cases_concluded"), l.text("被问责单位（家次）", "units_held"),
                      l.text("被问责人员（人次）", "persons_held")]
            + CadreRank.allCases.map { l == .zh ? ReportLanguage.chineseRankPhrase($0) : "rank_\($0.rawValue)" }
            + Sanction.allCases.map { l == .zh ? ($0 == .other ? "其他问责方式" : l.name(ofSanction: $0.rawValue)) : "sanction_\($0.rawValue)" }
        func row(_ scope: String, _ name: String, _ f: AccountabilityTally.Figures) -> [String] {
            [l == .zh ? l.period(period) : period, scope, name, String(f.casesTotal), String(f.casesConcluded), String(f.unitsHeld), String(f.personsHeld)]
                + CadreRank.allCases.map { String(f.personsByRank[$0.rawValue] ?? 0) }
                + Sanction.allCases.map { String(f.personsBySanction[$0.rawValue] ?? 0) }
        }
        let rows = [header, row(l.text("全省", "all"), "", tally.overall)] + tally.byRound.map { row($0.round, $0.name, $0.figures) }
        return CSVText.lines(rows, for: l)
    }
}
