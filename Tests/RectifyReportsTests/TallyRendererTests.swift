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

    @Test("in Chinese: cases by source, concluded and being handled, held by the concluded cases; every rank and sanction, zeros included")
    func markdownChinese() throws {
        var tally = self.tally
        tally.overall.casesTransferred = 2
        tally.overall.casesTransferredConcluded = 1
        let text = try rendered(ReportJobs.accountabilityTally, tally, period: "2026-10")
        #expect(text.contains("# 中央生态环境保护督察整改问责情况统计（2026年10月）\n"))
        #expect(text.contains("问责案件共3个（次），其中督察组移交2个（次）、本省查处1个（次）；已办结1个（次）（本月新增办结0个（次）），正在办理2个（次）。"))
        #expect(text.contains("已办结案件共问责单位4个（次）、人员2人（次），其中县处级干部2人（次）。"))
        #expect(text.contains("| 干部层级 | 人（次） |") && text.contains("| 问责方式 | 人（次） |"))
        #expect(text.contains("| 县处级 | 2 |") && text.contains("| 省部级 | 0 |") && text.contains("| 诫勉 | 2 |"))
        #expect(text.contains("| 第二轮中央生态环境保护督察 | 3 | 0 | 1 | 2 | 4 | 2 |"))
        #expect(!text.contains("家次") && !text.contains("CEI2-HE"), "one counting word; names, not ids")
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
        let page = try rendered(ReportJobs.accountabilityTally, tally, period: "2026-10", as: .html)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("</style>\n</head>\n<body>"), "the style sheet is closed before the body")
        #expect(page.contains("<svg") && page.contains("县处级"))
        #expect(page.contains("R&lt;1&gt;&amp;") && !page.contains("R<1>&"))
        #expect(!page.contains("<script") && !page.contains("<link") && !page.contains("src="))
        #expect(page.contains("@page { size: A4"))
    }
}
