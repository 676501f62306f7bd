/// The three months the demo simulates, September to November 2026 by default: what each office
/// reports each month, and what the province then decides (验收, 公示, 销号), worked out from the
/// demo ledger alone, the same on every run.
///
/// Offices report only on the unfinished and pending tasks led by a unit of their own region,
/// never move a task past `pending_acceptance`, and never report less progress than before.
/// Most tasks advance 5–15 points a month and go to acceptance at 100; about one in seven stands
/// still (stalled by the third month); one in twenty is skipped every month and one in ten in
/// one of the months; and the offices of a few counties report nothing at all, so the notice has
/// late, silent and stalled units to name and its levels climb over the three months.
///
/// Each month the province decides the tasks waiting for acceptance, but for about one in five
/// that waits until the month after: it sends about one in thirteen back, accepts half of the
/// rest on the 12th (their public notice ends, and they close, on the 19th) and the others on
/// the 26th (they close early in the next month). In the
/// second month a city's office objects to one acceptance during its notice, which sends the
/// task back; its county reports it done again, and the province accepts it in the third. In
/// the second month the province also extends one task's deadline (``extensions(month:of:ledger:)``).
public enum DemoMonths {
    /// The `months` months up to and including `last`, oldest first.
    public static func periods(endingWith last: Period, count months: Int = 3) -> [Period] {
        var periods = [last]
        while periods.count < months { periods.insert(periods[0].previous, at: 0) }
        return periods
    }

    /// What happens in each of `periods`, oldest first.
    public static func plan(_ periods: [Period], ledger: Ledger) -> [DemoMonth] {
        let unitRegions = Dictionary(uniqueKeysWithValues: ledger.units.map { ($0.id, $0.region) })
        let parents = Dictionary(uniqueKeysWithValues: ledger.regions.map { ($0.code, $0) })
        var state = Dictionary(uniqueKeysWithValues: ledger.tasks.map { ($0.id, (status: $0.status, progress: $0.progress)) })
        // The month each task has been waiting for acceptance since.
        var waitingSince: [String: Int] = [:]
        var months: [DemoMonth] = []
        for (month, period) in periods.enumerated() {
            // Acceptances of the 26th closed early in this month.
            for (id, task) in state where task.status == .accepted { state[id]!.status = .closed }
            var plan = DemoMonth(period: period)
            for task in ledger.tasks {
                guard let submission = submission(task, month: month, period: period, state: state[task.id]!, region: unitRegions[task.leadUnit]!)
                else { continue }
                plan.submissions.append(submission)
                state[task.id] = (submission.status, submission.progress)
            }
            var objected = month != 1
            for task in ledger.tasks where state[task.id]!.status == .pendingAcceptance {
                let seed = stableHash(task.id)
                // About one in five waits a month for the province's inspectors.
                if waitingSince[task.id, default: month] == month && seed % 5 == 1 {
                    waitingSince[task.id] = month
                    continue
                }
                waitingSince[task.id] = nil
                if seed % 13 == 4 {
                    plan.decisions.append(DemoDecision(
                        task: task.id, kind: .reject, on: Day(year: period.year, month: period.month, day: 12)!, officeRegion: "130000",
                        note: "验收资料不全：请补充整改前后对比照片和第三方监测报告后重新申请验收"))
                    state[task.id]!.status = .inProgress
                    continue
                }
                let early = seed / 7 % 2 == 0
                plan.decisions.append(DemoDecision(
                    task: task.id, kind: .accept, on: Day(year: period.year, month: period.month, day: early ? 12 : 26)!, officeRegion: "130000",
                    note: "经现场核查，整改措施落实到位，同意验收，进入公示"))
                state[task.id]!.status = early ? .closed : .accepted
                if early, !objected, let county = parents[task.region], county.level == .county, let city = county.parent {
                    objected = true
                    plan.decisions.append(DemoDecision(
                        task: task.id, kind: .object, on: Day(year: period.year, month: period.month, day: 15)!, officeRegion: city,
                        note: "公示期间复核发现问题有反弹，现场仍有违规堆存，不同意销号"))
                    state[task.id]!.status = .inProgress
                }
            }
            // In the order they are taken: by day, and on one day as listed.
            plan.decisions = plan.decisions.enumerated().sorted { ($0.element.on, $0.offset) < ($1.element.on, $1.offset) }.map(\.element)
            months.append(plan)
        }
        return months
    }

    /// What the office of `task` reports for the `month`-th month, or `nil` when it reports nothing.
    private static func submission(
        _ task: RectificationTask, month: Int, period: Period, state: (status: TaskStatus, progress: Int), region: String
    ) -> DemoSubmission? {
        guard [.notStarted, .inProgress, .pendingAcceptance].contains(state.status) else { return nil }
        let seed = stableHash(task.id)
        guard stableHash(region) % 13 != 5 else { return nil }  // an office that never reports
        switch seed % 20 {
        case 0: return nil  // a task its office leaves out every month
        case 2 where month == 1, 3 where month == 2: return nil  // left out once
        default: break
        }
        let stalled = (4...6).contains(seed % 20)
        let step = stalled || task.status == .pendingAcceptance ? 0 : 5 * (1 + Int(seed / 20 % 3))
        let progress = max(state.progress, min(100, task.progress + step * (month + 1)))
        let status: TaskStatus = progress == 100 ? .pendingAcceptance : progress > 0 ? .inProgress : state.status
        let summary = switch (status, step) {
        case (.pendingAcceptance, _) where state.status == .inProgress && state.progress == 100: "已按验收和异议意见完成补充整改，重新申请验收销号"
        case (.pendingAcceptance, _) where state.status == .pendingAcceptance: "整改任务已完成，等待省级验收"
        case (.pendingAcceptance, _): "整改任务已完成，申请验收销号"
        case (_, 0): "受资金和手续办理影响，本月进展不大"
        default: "按整改方案推进，本月新增完成\(step)%，累计完成\(progress)%"
        }
        return DemoSubmission(
            id: "demo-\(period)-\(task.id)", officeRegion: region, task: task.id, period: period, progress: progress, status: status,
            summary: summary)
    }

    /// The deadline extensions (延期) the province decides in the `month`-th month: in the second,
    /// the first task that would be overdue by the last month and that its office leaves
    /// unreported or lets stall gets until the end of the second month after the last, so the
    /// last notice names it for that, beside its extended deadline, rather than for lateness.
    public static func extensions(month: Int, of periods: [Period], ledger: Ledger) -> [DemoExtension] {
        guard month == 1, let last = periods.last else { return [] }
        let unitRegions = Dictionary(uniqueKeysWithValues: ledger.units.map { ($0.id, $0.region) })
        let candidate = ledger.tasks.first { task in
            !task.status.isDone && task.status != .pendingAcceptance && task.deadline <= last.lastDay
                && ([0, 3, 4, 5, 6].contains(stableHash(task.id) % 20) || stableHash(unitRegions[task.leadUnit]!) % 13 == 5)
        }
        return candidate.map {
            [DemoExtension(task: $0.id, to: last.next.next.lastDay, reason: "受汛期影响施工窗口推迟，经研究同意延期")]
        } ?? []
    }

    /// FNV-1a over the text's bytes: the same on every machine and run, unlike `hashValue`.
    private static func stableHash(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
    }
}
