import RectifyDomain

/// The public disclosure (整改落实情况公开) as the seeds publish it, one section per round: which
/// inspection group, its 进驻 and 反馈 dates, how the province took it up (said once, before the
/// rounds, when there are several), tasks completed and
/// the rest advancing, petitions closed and closed in stages, 现将整改落实情况公开如下; then the
/// accountability, with the transferred cases, units and persons by rank; it ends with 下一步 and
/// who publishes it. It names rounds, never ids, and publishes no overdue counts.
enum DisclosureDocument {
    static func document(
        _ disclosure: PublicDisclosure, heading: ReportHeading, configuration c: ReportConfiguration, language l: ReportLanguage
    ) -> OfficialDocument {
        // One round: the province's work follows the feedback, as the seeds write it. Several:
        // it is said once, before them.
        let several = disclosure.byRound.count > 1
        var body: [OfficialDocument.Block] = several ? [.paragraph(c.disclosureWork)] : []
        for round in disclosure.byRound {
            if several { body.append(.heading(round.name)) }
            body.append(.paragraph(opening(round, period: heading.period, work: several ? nil : c.disclosureWork, l)))
            body.append(.paragraph(accountability(round.figures.tally, l)))
        }
        body.append(.paragraph(c.disclosureNextSteps))
        return OfficialDocument(
            heading: heading, language: l, title: ReportTitles.title(ReportJobs.publicDisclosure, heading.period, l),
            addressees: nil, body: body, signer: c.disclosurePublisher, copiedTo: nil, printedLine: false)
    }

    /// The round's opening paragraph, in the seeds' order.
    static func opening(_ round: PublicDisclosure.RoundFigures, period: String, work: String?, _ l: ReportLanguage) -> String {
        let f = round.figures, t = f.schedule.tasks
        var text = ""
        if let inspection = f.inspection {
            text += l.text(
                "\(l.day(inspection.inspectedFrom))至\(sameYear(inspection) ? String(l.day(inspection.inspectedTo).drop { $0 != "年" }.dropFirst()) : l.day(inspection.inspectedTo))，"
                    + "\(inspection.group)对我省开展\(round.name)。"
                    + "\(l.day(inspection.feedbackOn))，督察组向我省反馈督察意见。",
                "From \(l.day(inspection.inspectedFrom)) to \(l.day(inspection.inspectedTo)), the \(inspection.group) carried out the "
                    + "\(round.name) in the province, and gave its feedback on \(l.day(inspection.feedbackOn)). ")
        }
        text += work ?? ""
        let month = Period(period).map { l.text("\($0.year)年\($0.month)月底", "the end of \(l.period(period))") } ?? period
        text += l.text("截至\(month)，督察反馈问题涉及的\(t.tasksTotal)项整改任务，已完成整改\(f.tasksCompleted)项",
                       " As of \(month), of the \(t.tasksTotal) rectification tasks fed back, \(f.tasksCompleted) have been completed")
        if f.tasksAdvancing > 0 { text += l.text("，\(f.tasksAdvancing)项正在有序推进", ", \(f.tasksAdvancing) are advancing in order") }
        if t.tasksNotStarted > 0 { text += l.text("，\(t.tasksNotStarted)项尚未启动", ", \(t.tasksNotStarted) have not started") }
        let p = f.schedule
        text += l.text("；督察组交办的\(p.petitionsTotal)件群众信访举报件，已办结\(p.petitionsClosed)件",
                       "; of the \(p.petitionsTotal) petitions the inspection group transferred, \(p.petitionsClosed) have been closed")
        if p.petitionsClosedInStages > 0 { text += l.text("、阶段性办结\(p.petitionsClosedInStages)件", ", \(p.petitionsClosedInStages) closed in stages") }
        if p.petitionsOpen > 0 { text += l.text("，\(p.petitionsOpen)件正在办理", ", \(p.petitionsOpen) still being handled") }
        return text + l.text("。现将整改落实情况公开如下。", ". The implementation is now made public.")
    }

    /// Whether the 进驻 began and ended in one year, which the Chinese text then says once.
    private static func sameYear(_ inspection: PublicDisclosure.Inspection) -> Bool {
        inspection.inspectedFrom.prefix(4) == inspection.inspectedTo.prefix(4)
    }

    /// Accountability: the transferred cases, then units and persons by rank held by the
    /// concluded cases, then the cases still being handled; each part only when there is one.
    static func accountability(_ o: AccountabilityTally.Figures, _ l: ReportLanguage) -> String {
        var sentences: [String] = []
        if o.casesTransferred > 0 {
            sentences.append(l.text("督察组移交生态环境损害责任追究问题\(o.casesTransferred)个，已办结\(o.casesTransferredConcluded)个",
                                    "Of the \(o.casesTransferred) cases of liability for ecological damage the group transferred, \(o.casesTransferredConcluded) are concluded"))
        }
        if o.unitsHeld > 0 || o.personsHeld > 0 {
            let ranks = l.ranks(o.personsByRank, measure: "人")
            sentences.append(l.text("已办结的问责案件共问责单位\(o.unitsHeld)个（次）、人员\(o.personsHeld)人（次）",
                                    "The concluded cases held \(o.unitsHeld) units and \(o.personsHeld) persons accountable (each once per case)")
                + (ranks.isEmpty ? "" : l.text("，其中" + ranks.joined(separator: "、"), ": " + ranks.joined(separator: ", "))))
        }
        if o.casesOpen > 0 {
            sentences.append(l.text("\(o.casesOpen)个问责案件正在办理", "\(o.casesOpen) more cases are being handled"))
        }
        guard !sentences.isEmpty else { return l.text("尚无问责案件。", "There are no accountability cases yet.") }
        return sentences.joined(separator: l.text("；", ". ")) + l.text("。", ".")
    }
}
