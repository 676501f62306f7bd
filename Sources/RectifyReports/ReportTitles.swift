import RectifyDomain

/// The words every rendered report shares: its title, and the label of the tasks due next month.
public enum ReportTitles {
    /// The document title, dated by its period: 中央生态环境保护督察整改任务月度调度情况（2026年10月）,
    /// 关于2026年10月中央生态环境保护督察整改任务推进滞后单位的通报.
    public static func title(_ kind: String, _ period: String, _ l: ReportLanguage) -> String {
        if kind == ReportJobs.nameAndShame {
            return l.text("关于\(l.period(period))中央生态环境保护督察整改任务推进滞后单位的通报",
                          "Notice Naming the Units Behind on Central Environmental Inspection Rectification, \(l.period(period))")
        }
        let (zh, en): (String, String) = switch kind {
        case ReportJobs.monthlySchedule: ("中央生态环境保护督察整改任务月度调度情况", "Monthly Progress of Central Environmental Inspection Rectification Tasks")
        case ReportJobs.accountabilityTally: ("中央生态环境保护督察整改问责情况统计", "Accountability in Central Environmental Inspection Rectification")
        case ReportJobs.publicDisclosure: ("中央生态环境保护督察整改落实情况公开", "Public Disclosure of Central Environmental Inspection Rectification")
        default: (kind, kind)
        }
        return l.text("\(zh)（\(l.period(period))）", "\(en), \(l.period(period))")
    }

    /// 次月（11月）到期, Due in November.
    static func dueNextMonth(_ period: String, _ l: ReportLanguage) -> String {
        guard let next = Period(period)?.next else { return l.text("次月到期", "Due next month") }
        return l.text("次月（\(l.month(next))）到期", "Due in \(l.month(next))")
    }
}
