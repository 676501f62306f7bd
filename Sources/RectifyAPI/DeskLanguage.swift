import RectifyDomain

/// The language the desk speaks: Chinese unless the person switched to English (a cookie).
enum DeskLanguage: String, Sendable {
    case zh, en

    static let cookie = "rectify_lang"

    /// The Chinese or the English of a phrase.
    func t(_ zh: String, _ en: String) -> String { self == .zh ? zh : en }

    /// A task status as people say it.
    func status(_ status: TaskStatus) -> String {
        switch status {
        case .notStarted: t("未启动", "not started")
        case .inProgress: t("正在推进", "in progress")
        case .pendingAcceptance: t("待验收", "pending acceptance")
        case .accepted: t("已验收、公示中", "accepted, under public notice")
        case .closed: t("已销号", "closed")
        }
    }

    /// A day as the language writes it: 2026年11月30日 or 2026-11-30.
    func day(_ day: Day) -> String {
        self == .zh ? "\(day.year)年\(day.month)月\(day.day)日" : day.description
    }

    /// A month as the language writes it: 2026年11月 or 2026-11.
    func period(_ period: Period) -> String {
        self == .zh ? "\(period.year)年\(period.month)月" : period.description
    }
}
