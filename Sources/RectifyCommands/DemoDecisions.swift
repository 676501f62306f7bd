import Foundation
import RectifyDomain
import RectifyLedger
import RectifyProgress
import RectifyReports

/// The province's side of the demo's months: its decisions on the tasks waiting for acceptance
/// (and a city's objection), taken through ``CloseOut`` on the day the month's plan says, and the
/// issue (签发) of the month's documents early in the month after.
extension ProvinceDemo {
    /// Takes `decisions` in order through the close-out rules, each on its own day, and returns
    /// the public-notice jobs the acceptances scheduled. A decision an earlier run already took
    /// (the task is no longer waiting for it) is left alone.
    func decide(_ decisions: [DemoDecision], publicNotice: PublicNoticeLength, timeZone: TimeZone) async throws -> [Int64] {
        let offices = Dictionary(try await OfficeRegistry(pool: pool).list().compactMap { office in office.region.map { ($0, office) } },
                                 uniquingKeysWith: { first, _ in first })
        let closeOut = CloseOut(pool: pool, publicNotice: publicNotice, timeZone: timeZone)
        var jobs: [Int64] = []
        for decision in decisions {
            guard let office = offices[decision.officeRegion] else { continue }
            let status = TaskStatus(rawValue: try await TaskDirectory(pool: pool, timeZone: timeZone).task(decision.task).task.status)
            switch decision.kind {
            case .accept, .reject:
                guard status == .pendingAcceptance else { continue }
                let outcome = try await closeOut.decide(
                    task: decision.task, decision: decision.kind == .accept ? .accept : .reject, note: decision.note, by: office,
                    at: Self.morning(of: decision.on, in: timeZone))
                jobs += outcome.publicNoticeJobID.map { [$0] } ?? []
            case .object:
                guard status == .accepted else { continue }
                _ = try await closeOut.object(task: decision.task, reason: decision.note, by: office)
            }
        }
        return jobs
    }

    /// Issues the period's drafts as the province does early in the month after: on its 5th, or
    /// today if that is earlier. Documents an earlier run issued stay as they are. Returns what
    /// was issued, as "月度调度 (report 3) 2026-10-05", "点名通报 (report 1) 冀督改办通〔2026〕2号".
    func issue(_ period: Period, configuration: ReportConfiguration) async throws -> [String] {
        let store = ReportStore(pool: pool)
        let today = Day(containing: Date(), in: configuration.timeZone)
        let day = min(Day(year: period.next.year, month: period.next.month, day: 5)!, today)
        var issued: [String] = []
        for kind in ReportJobs.kinds {
            guard let report = try await store.current(kind: kind, period: "\(period)"), report.isDraft else { continue }
            let document = try await store.issue(id: report.id, on: day, by: DemoProvince.provinceOffice, configuration: configuration)
            issued.append("\(ReportJobs.name(of: kind)) (report \(document.id)) " + (document.issue?.number ?? "\(day)"))
        }
        return issued
    }

    /// 10:00 on `day` in the province's time zone: when the demo's province decides.
    static func morning(of day: Day, in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 10))!
    }
}
