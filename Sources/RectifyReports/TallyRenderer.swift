import RectifyDomain

/// The accountability tally as CSV, for the spreadsheet. Ranks and sanctions are listed in the
/// SPEC's order, every one even at 0.
public enum TallyRenderer {
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
