/// The three months of progress the demo's offices report, August to October 2026 by default:
/// what each office sends each month, worked out from the demo ledger alone, the same on every
/// run.
///
/// Offices report only on open tasks led by a unit of their own region, never move a task past
/// `pending_acceptance`, and never report less progress than before. Most tasks advance 5–15
/// points a month and go to acceptance at 100; about one in seven stands still (stalled by the
/// third month); one in twenty is skipped every month and one in ten in one of the months; and the offices of a few counties
/// report nothing at all, so the notice has late, silent and stalled units to name and its
/// levels climb over the three months. In the second month the province extends one task's
/// deadline (``extensions(month:of:ledger:)``).
public enum DemoMonths {
    /// The `months` months up to and including `last`, oldest first.
    public static func periods(endingWith last: Period, count months: Int = 3) -> [Period] {
        var periods = [last]
        while periods.count < months { periods.insert(periods[0].previous, at: 0) }
        return periods
    }

    /// What the offices send for the `month`-th of the demo's months (0 is the first).
    public static func submissions(month: Int, of periods: [Period], ledger: Ledger) -> [DemoSubmission] {
        let unitRegions = Dictionary(uniqueKeysWithValues: ledger.units.map { ($0.id, $0.region) })
        return ledger.tasks.filter { !$0.status.isDone }.compactMap { task in
            let region = unitRegions[task.leadUnit]!
            let seed = stableHash(task.id)
            guard stableHash(region) % 13 != 5 else { return nil }  // an office that never reports
            switch seed % 20 {
            case 0: return nil  // a task its office leaves out every month
            case 2 where month == 1, 3 where month == 2: return nil  // left out once
            default: break
            }
            let stalled = (4...6).contains(seed % 20)
            let step = stalled || task.status == .pendingAcceptance ? 0 : 5 * (1 + Int(seed / 20 % 3))
            let progress = min(100, task.progress + step * (month + 1))
            let status: TaskStatus = progress == 100 ? .pendingAcceptance : progress > 0 ? .inProgress : task.status
            let summary = switch (status, step) {
            case (.pendingAcceptance, _): "整改任务已完成，申请验收销号"
            case (_, 0): "受资金和手续办理影响，本月进展不大"
            default: "按整改方案推进，本月新增完成\(step)%，累计完成\(progress)%"
            }
            return DemoSubmission(
                id: "demo-\(periods[month])-\(task.id)", officeRegion: region, task: task.id, period: periods[month],
                progress: progress, status: status, summary: summary)
        }
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
