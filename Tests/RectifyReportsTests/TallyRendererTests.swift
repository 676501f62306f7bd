import Foundation
import RectifyReports
import Testing

@Suite("Rendering the accountability tally")
struct TallyRendererTests {
    private var tally: AccountabilityTally {
        var tally = AccountabilityTally()
        tally.overall.casesTotal = 3
        tally.overall.casesConcluded = 1
        tally.overall.unitsHeld = 4
        tally.overall.personsHeld = 2
        tally.overall.personsByRank["division"] = 2
        tally.overall.personsBySanction["admonishment"] = 2
        tally.byRound = try! JSONDecoder().decode(
            [AccountabilityTally.RoundFigures].self,
            from: Data(#"[{"round": "CEI2-HE", "cases_total": 3, "cases_concluded": 1, "units_held": 4, "persons_held": 2, "persons_by_rank": {}, "persons_by_sanction": {}, "round_name": "第二轮中央生态环境保护督察"}]"#.utf8))
        return tally
    }

    @Test("Markdown in Chinese names every rank and sanction, zeros included")
    func markdownChinese() {
        let text = TallyRenderer.markdown(tally, period: "2026-10", language: .zh)
        #expect(text.hasPrefix("# 中央生态环境保护督察整改问责情况统计（2026年10月）\n\n统计期：2026年10月（数据截至2026年10月31日）\n"))
        #expect(text.contains("| 干部层级 | 人次 |") && text.contains("| 问责方式 | 人次 |"))
        #expect(text.contains("| 问责案件 | 3 |"))
        #expect(text.contains("| 县处级 | 2 |"))
        #expect(text.contains("| 省部级 | 0 |"))
        #expect(text.contains("| 诫勉 | 2 |"))
        #expect(text.contains("| 第二轮中央生态环境保护督察（CEI2-HE） | 3 | 1 | 4 | 2 |"))
    }

    @Test("CSV in English has stable machine headers and one row per scope")
    func csvEnglish() {
        let lines = TallyRenderer.csv(tally, period: "2026-10", language: .en).split(separator: "\r\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("period,scope,name,cases_total,cases_concluded,units_held,persons_held,rank_provincial,"))
        #expect(lines[1] == "2026-10,all,,3,1,4,2,0,0,2,0,0,0,0,2,0,0")
        #expect(lines[2].hasPrefix("2026-10,CEI2-HE,第二轮中央生态环境保护督察,3,1,4,2,"))
    }

    @Test("CSV in Chinese names every column once: ranks as 干部, the two 其他 apart")
    func csvChinese() {
        let header = TallyRenderer.csv(tally, period: "2026-10", language: .zh).split(separator: "\r\n")[0].split(separator: ",")
        #expect(Set(header).count == header.count, "\(header)")
        #expect(header.suffix(10) == ["省部级干部", "厅局级干部", "县处级干部", "乡科级及以下干部", "其他人员",
                                      "党纪处分", "政务处分", "诫勉", "组织处理", "其他问责方式"])
    }
}

@Suite("HTML reports")
struct HTMLReportTests {
    @Test("a page is self-contained, carries its SVG chart, and escapes what it prints")
    func selfContained() throws {
        var tally = AccountabilityTally()
        tally.overall.personsHeld = 3
        tally.overall.personsByRank["division"] = 3
        tally.byRound = [AccountabilityTally.RoundFigures(round: "R<1>&", name: "R<1>&", figures: tally.overall)]
        let page = HTMLRenderer.tally(tally, period: "2026-10", language: .zh)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("<svg") && page.contains("县处级"))
        #expect(page.contains("R&lt;1&gt;&amp;") && !page.contains("R<1>&"))
        #expect(!page.contains("<script") && !page.contains("<link") && !page.contains("src="))
        #expect(page.contains("@page { size: A4"))
    }
}
