import RectifyDomain

/// The accountability tally (问责统计) as the office issues it: the cases by source and how
/// many concluded, this month's included; units and persons held by the concluded cases, by
/// cadre rank; the cases still being handled (正在办理). Ranks, sanctions, cities and rounds are
/// attachments. Cases and units are counted 个（次）, persons 人（次）, once per case.
enum TallyDocument {
    static func document(
        _ tally: AccountabilityTally, heading: ReportHeading, configuration c: ReportConfiguration, language l: ReportLanguage
    ) -> OfficialDocument {
        let o = tally.overall
        var body: [OfficialDocument.Block] = [.paragraph(summary(o, period: heading.period, l))]
        body.append(.chart(BarChart.svg(
            caption: l.text("已办结案件被问责人员按干部层级", "Persons held by concluded cases, by cadre rank"),
            series: [(l.text("人（次）", "Persons"), "#6a1b9a")],
            bars: CadreRank.allCases.map { BarChart.Bar(label: l.name(of: $0.rawValue), values: [o.personsByRank[$0.rawValue] ?? 0]) })))
        var attachments = [OfficialDocument.Attachment(
            title: l.text("被问责人员按干部层级和问责方式", "Persons held by cadre rank and by sanction"),
            blocks: [
                .table(DocumentTable(headers: [l.text("干部层级", "Cadre rank"), l.text("人（次）", "Persons")],
                                     rows: CadreRank.allCases.map { [l.name(of: $0.rawValue), "\(o.personsByRank[$0.rawValue] ?? 0)"] },
                                     numeric: [1])),
                .table(DocumentTable(headers: [l.text("问责方式", "Sanction"), l.text("人（次）", "Persons")],
                                     rows: Sanction.allCases.map { [l.name(ofSanction: $0.rawValue), "\(o.personsBySanction[$0.rawValue] ?? 0)"] },
                                     numeric: [1])),
            ])]
        let places = places(tally.byPlace, separate: c.separateRows)
        if !places.isEmpty {
            attachments.append(OfficialDocument.Attachment(
                title: l.text("各地问责情况", "Cases by place"),
                blocks: [.paragraph(countingNote(l)), .table(DocumentTable(
                    headers: [l.text("地区", "Place"), l.text("督察组移交", "Transferred"), l.text("本省查处", "The province's own"),
                              l.text("已办结", "Concluded"), l.text("本月新增办结", "Concluded this month"),
                              l.text("问责单位", "Units held"), l.text("问责人员", "Persons held")],
                    rows: places.map { place in
                        [place.level == "province" ? l.provincialDepartments : place.name]
                            + [place.casesTransferred, place.casesProvincial, place.casesConcluded, place.casesConcludedInPeriod, place.unitsHeld,
                               place.personsHeld].map(String.init)
                    },
                    numeric: Set(1...6)))]))
        }
        if !tally.byRound.isEmpty {
            attachments.append(OfficialDocument.Attachment(
                title: l.text("分轮次问责情况", "By inspection round"),
                blocks: [.paragraph(countingNote(l)), .table(DocumentTable(
                    headers: [l.text("督察轮次", "Round"), l.text("问责案件", "Cases"), l.text("其中督察组移交", "Transferred"),
                              l.text("已办结", "Concluded"), l.text("正在办理", "Being handled"), l.text("问责单位", "Units held"),
                              l.text("问责人员", "Persons held")],
                    rows: tally.byRound.map { round in
                        let f = round.figures
                        return [round.name] + [f.casesTotal, f.casesTransferred, f.casesConcluded, f.casesOpen, f.unitsHeld, f.personsHeld].map(String.init)
                    },
                    numeric: Set(1...6)))]))
        }
        return OfficialDocument(
            heading: heading, language: l, title: ReportTitles.title(ReportJobs.accountabilityTally, heading.period, l),
            addressees: c.addressees, body: body, attachments: attachments, signer: heading.issuer, copiedTo: c.copiedTo)
    }

    /// How the tables count: cases and units 个（次）, persons 人（次）, once per case.
    static func countingNote(_ l: ReportLanguage) -> String {
        l.text("（案件、问责单位计个（次），问责人员计人（次），每个案件分别计数。）", "(Cases and units are counted per case, persons per case.)")
    }

    /// The province's own and the cities, with the county-level cities the office lists apart
    /// (`separate`) taken out of their city and listed after the cities, as the schedule does.
    static func places(_ places: [AccountabilityTally.PlaceCases], separate: [String]) -> [AccountabilityTally.PlaceCases] {
        var rows = places.filter { $0.level != "county" }
        var apart: [AccountabilityTally.PlaceCases] = []
        var city: Int?
        for place in places {
            if place.level == "city" {
                city = rows.firstIndex { $0.region == place.region }
            } else if place.level == "county", separate.contains(place.region) {
                if let city { rows[city] = rows[city].subtracting(place) }
                apart.append(place)
            }
        }
        return rows.filter { $0.casesTransferred + $0.casesProvincial > 0 } + apart
    }

    /// The paragraph: cases by source, concluded (this month's), being handled; who was held, by rank.
    static func summary(_ o: AccountabilityTally.Figures, period: String, _ l: ReportLanguage) -> String {
        let asOf = Period(period).map { l.day("\($0.lastDay)") } ?? period
        var text = l.text(
            "截至\(asOf)，中央生态环境保护督察整改问责案件共\(o.casesTotal)个（次），其中督察组移交\(o.casesTransferred)个（次）、"
                + "本省查处\(o.casesTotal - o.casesTransferred)个（次）；已办结\(o.casesConcluded)个（次）（本月新增办结\(o.casesConcludedInPeriod)个（次））",
            "As of \(asOf), \(ReportLanguage.count(o.casesTotal, "case")) of accountability: \(o.casesTransferred) transferred by the inspection "
                + "group and \(o.casesTotal - o.casesTransferred) of the province's own; \(o.casesConcluded) concluded (\(o.casesConcludedInPeriod) this month)")
        text += o.casesOpen > 0 ? l.text("，正在办理\(o.casesOpen)个（次）。", ", \(o.casesOpen) still being handled.") : l.text("。", ".")
        guard o.personsHeld > 0 || o.unitsHeld > 0 else {
            return text + l.text("已办结案件尚未问责单位和人员。", " The concluded cases have held no unit or person yet.")
        }
        let ranks = l.ranks(o.personsByRank, measure: "人（次）")
        return text + l.text(
            "已办结案件共问责单位\(o.unitsHeld)个（次）、人员\(o.personsHeld)人（次）" + (ranks.isEmpty ? "" : "，其中" + ranks.joined(separator: "、")) + "。",
            " The concluded cases held \(o.unitsHeld) units and \(o.personsHeld) persons (each once per case)"
                + (ranks.isEmpty ? "" : ": " + ranks.joined(separator: ", ")) + ".")
    }
}
