public import Foundation
import RectifyDomain

/// How the office that issues the reports writes and signs them: who issues them (发文机关), the
/// form of a notice's document number (文号), whom they are addressed and copied to, the
/// sentences of policy that the figures cannot say, and how its own documents group the cities.
/// The defaults are the demo province's (河北省).
public struct ReportConfiguration: Sendable, Hashable, Codable {
    /// The issuing office (`reports.issuer`).
    public var issuer = "河北省中央生态环境保护督察整改工作领导小组办公室"
    /// A notice's document number (`reports.number_format`): `{year}` becomes the year of issue,
    /// `{number}` the notice's place in that year's order of issue.
    public var numberFormat = "冀督改办通〔{year}〕{number}号"
    /// 主送 (`reports.addressees`).
    public var addressees = "各市（含定州、辛集市）督察整改办，省直有关部门"
    /// 抄送 (`reports.copied_to`).
    public var copiedTo = "省委办公厅，省政府办公厅，省纪委监委"
    /// 工作要求 of the schedule and the notice (`reports.requirements`).
    public var requirements = "各地各部门要对照整改方案和任务清单，逐项倒排工期、挂图作战，确保按时保质完成整改；已完成整改的，要及时申请验收销号；"
        + "确因客观原因需要延期的，须按程序报批，严禁未经批准擅自延期。各地督察整改办要于每月5日前如实报送上月整改进展。"
    /// What a named unit must do and by when (`reports.reply`).
    public var reply = "请被点名单位于本通报印发之日起10个工作日内，将整改措施、责任人和完成时限书面报送省督察整改办。"
    /// What being named again brings (`reports.consequences`).
    public var consequences = "连续两个月被通报批评的，由省督察整改办会同有关部门约谈单位主要负责同志；因工作不力导致整改严重滞后的，移交纪检监察机关依规依纪依法处理。"
    /// The problems the office sees beyond what the figures show (`reports.problems`); empty
    /// for none.
    public var problems = "部分地区整改责任落实不到位，存在重方案轻落实、以文件落实整改的现象；个别单位进展报送不及时、不准确。"
    /// How the province took up the inspection's feedback, for the disclosure
    /// (`reports.disclosure_work`).
    public var disclosureWork = "省委、省政府把督察整改作为重大政治任务，成立由省委书记、省长任双组长的督察整改工作领导小组，"
        + "建立省、市、县三级清单调度、督导核查和验收销号工作机制，推动整改任务落地见效。"
    /// 下一步 of the disclosure (`reports.disclosure_next_steps`).
    public var disclosureNextSteps = "下一步，全省将深入贯彻习近平生态文明思想，坚持问题导向，对已完成的整改任务适时开展“回头看”，"
        + "对正在推进的整改任务加强调度督导，确保整改不松劲、不反弹，持续改善生态环境质量。"
    /// Who publishes the disclosure (`reports.disclosure_publisher`).
    public var disclosurePublisher = "河北省人民政府"
    /// County-level cities that the office's documents list as rows of their own, beside the
    /// cities, and take out of their parent city's row (`reports.separate_rows`): 定州, 辛集.
    public var separateRows = ["130682", "130181"]
    /// The zone in which documents are dated (the scheduler's).
    public var timeZone = TimeZone(identifier: "Asia/Shanghai")!

    /// The defaults.
    public init() {}

    /// The document number of the `sequence`-th notice issued in `year`.
    public func documentNumber(year: Int, sequence: Int) -> String {
        numberFormat.replacingOccurrences(of: "{year}", with: String(year)).replacingOccurrences(of: "{number}", with: String(sequence))
    }

    /// What is wrong with a number format, or `nil`: it must hold `{year}` and `{number}`.
    public static func problem(numberFormat: String) -> String? {
        numberFormat.contains("{year}") && numberFormat.contains("{number}")
            ? nil : "must hold {year} and {number} (the notice's place in the year's order of issue), e.g. 冀督改办通〔{year}〕{number}号"
    }

    /// The words a document is written in, kept with it when it is issued so that it never
    /// changes afterwards; the time zone is the scheduler's and is not kept.
    enum CodingKeys: String, CodingKey {
        case issuer, numberFormat = "number_format", addressees, copiedTo = "copied_to", requirements, reply, consequences, problems
        case disclosureWork = "disclosure_work", disclosureNextSteps = "disclosure_next_steps"
        case disclosurePublisher = "disclosure_publisher", separateRows = "separate_rows"
    }

    /// Reads the words kept with an issued document; a word it lacks keeps its default.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func read(_ key: CodingKeys, _ field: WritableKeyPath<ReportConfiguration, String>) throws {
            if let value = try c.decodeIfPresent(String.self, forKey: key) { self[keyPath: field] = value }
        }
        try read(.issuer, \.issuer)
        try read(.numberFormat, \.numberFormat)
        try read(.addressees, \.addressees)
        try read(.copiedTo, \.copiedTo)
        try read(.requirements, \.requirements)
        try read(.reply, \.reply)
        try read(.consequences, \.consequences)
        try read(.problems, \.problems)
        try read(.disclosureWork, \.disclosureWork)
        try read(.disclosureNextSteps, \.disclosureNextSteps)
        try read(.disclosurePublisher, \.disclosurePublisher)
        separateRows = try c.decodeIfPresent([String].self, forKey: .separateRows) ?? separateRows
    }
}
