import Foundation
import RectifyDomain

/// The public disclosure's paragraphs, as the province publishes them, in Markdown and HTML.
public enum DisclosureRenderer {
    /// The province's paragraph, then one per round.
    public static func markdown(_ disclosure: PublicDisclosure, period: String, language l: ReportLanguage) -> String {
        var lines = ["# " + ReportTitles.title(ReportJobs.publicDisclosure, period, l), ""]
        for (heading, text) in paragraphs(disclosure, period: period, l) { lines += ["## " + heading, "", text, ""] }
        return lines.joined(separator: "\n")
    }

    /// The same paragraphs as a page.
    public static func html(_ disclosure: PublicDisclosure, period: String, language l: ReportLanguage) -> String {
        HTMLPage.page(
            title: ReportTitles.title(ReportJobs.publicDisclosure, period, l), language: l,
            body: paragraphs(disclosure, period: period, l).flatMap { [HTMLPage.heading($0.heading), HTMLPage.paragraph($0.text)] })
    }

    /// Headed paragraphs: the province's (全省), then each round's.
    static func paragraphs(_ disclosure: PublicDisclosure, period: String, _ l: ReportLanguage) -> [(heading: String, text: String)] {
        let rounds = disclosure.byRound.count
        let province = l.text("全省\(rounds == 2 ? "两" : "\(rounds)")轮中央生态环境保护督察反馈问题",
                              "the feedback of the \(ReportLanguage.count(rounds, "round")) of central environmental inspection")
        return [(l.text("全省", "The province"), paragraph(disclosure.overall, scope: province, period: period, l))]
            + disclosure.byRound.map { round in
                (ReportTitles.round(round.round, round.name, l),
                 paragraph(round.figures, scope: l.text("\(round.name)反馈问题", "the feedback of the \(round.name)"), period: period, l))
            }
    }

    /// One paragraph: tasks completed and under way, petitions closed, accountability by cadre rank.
    static func paragraph(_ f: PublicDisclosure.Figures, scope: String, period: String, _ l: ReportLanguage) -> String {
        let t = f.schedule.tasks
        let rest = t.tasksTotal - f.tasksCompleted
        let month = Period(period).map { l.text("\($0.year)年\($0.month)月底", "the end of \(l.period(period))") } ?? period
        let ranks = CadreRank.allCases.filter { f.tally.personsByRank[$0.rawValue, default: 0] > 0 || $0 != .provincial }.map { rank in
            let n = f.tally.personsByRank[rank.rawValue, default: 0]
            return l.text("\(ReportLanguage.chineseRankPhrase(rank))\(n)人", "\(number(n, l)) \(rankPhraseEnglish(rank, n))")
        }
        if l == .zh {
            var text = "截至\(month)，\(scope)涉及的\(t.tasksTotal)项整改任务，已完成整改\(f.tasksCompleted)项"
            text += t.tasksClosed > 0 ? "（其中已验收销号\(t.tasksClosed)项）" : ""
            text += rest > 0 ? "，其余\(rest)项正在推进" + (t.tasksOverdue > 0 ? "（其中\(t.tasksOverdue)项已超过整改时限）" : "") : ""
            text += "；中央督察组交办的\(f.schedule.petitionsTotal)件群众信访举报件，已办结\(f.schedule.petitionsClosed)件、"
                + "阶段性办结\(f.schedule.petitionsClosedInStages)件"
            text += f.schedule.petitionsOpen > 0 ? "，尚未办结\(f.schedule.petitionsOpen)件" : ""
            text += "；共问责单位\(f.tally.unitsHeld)个（次）、人员\(f.tally.personsHeld)人（次）"
            text += f.tally.personsHeld > 0 ? "，其中" + ranks.joined(separator: "、") : ""
            return text + "。"
        }
        var text = "As of \(month), of the \(number(t.tasksTotal, l)) rectification tasks from \(scope), \(number(f.tasksCompleted, l)) have been completed"
        text += t.tasksClosed > 0 ? " (\(number(t.tasksClosed, l)) of them closed after acceptance)" : ""
        text += rest > 0 ? " and \(number(rest, l)) are under way" + (t.tasksOverdue > 0 ? " (\(number(t.tasksOverdue, l)) past their deadline)" : "") : ""
        text += "; of the \(number(f.schedule.petitionsTotal, l)) petitions the inspection group transferred, "
            + "\(number(f.schedule.petitionsClosed, l)) have been closed and \(number(f.schedule.petitionsClosedInStages, l)) closed in stages"
        text += f.schedule.petitionsOpen > 0 ? ", \(number(f.schedule.petitionsOpen, l)) still open" : ""
        text += "; \(ReportLanguage.count(f.tally.unitsHeld, "unit")) and \(f.tally.personsHeld == 1 ? "1 person" : "\(number(f.tally.personsHeld, l)) persons") "
            + "have been held accountable (counted per case)"
        text += f.tally.personsHeld > 0 ? ", of whom " + englishList(ranks) : ""
        return text + "."
    }

    private static func rankPhraseEnglish(_ rank: CadreRank, _ count: Int) -> String {
        switch rank {
        case .provincial: "at provincial or ministerial level"
        case .department: "at department level"
        case .division: "at division level"
        case .sectionAndBelow: "at section level and below"
        case .other: count == 1 ? "other" : "others"
        }
    }

    /// A whole number as the language writes it: 2388, 2,388.
    static func number(_ value: Int, _ l: ReportLanguage) -> String {
        guard l == .en, abs(value) >= 1000 else { return "\(value)" }
        var digits = Array(String(abs(value)))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return (value < 0 ? "-" : "") + String(digits)
    }

    /// `a, b, c and d`.
    private static func englishList(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}
