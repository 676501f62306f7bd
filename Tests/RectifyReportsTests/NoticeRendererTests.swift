import Foundation
import RectifyReports
import Testing

/// A notice for October 2026 after September's: 长安区生态环境分局 moved from reminder to warning,
/// 路南区人民政府 from warning to public notice; 桥西区人民政府 is new (reminder).
private func entry(
    _ unit: String, _ unitName: String, _ city: String, _ cityName: String, _ task: String, _ title: String, _ reason: String,
    _ days: Int, _ level: String, _ previous: String?
) -> String {
    #"{"unit": "\#(unit)", "unit_name": "\#(unitName)", "region": "\#(city)01", "region_name": "某区", "city": "\#(city)", "#
        + #""city_name": "\#(cityName)", "task": "\#(task)", "task_title": "\#(title)", "round": "R", "deadline": "2026-09-30", "#
        + #""reason": "\#(reason)", "days_overdue": \#(days), "level": "\#(level)", "previous_level": \#(previous.map { "\"\($0)\"" } ?? "null")}"#
}

private let notice = try! JSONDecoder().decode(NameAndShame.self, from: Data(("""
    {"units_named": 3, "tasks_named": 3, "previous_notice": "2026-09", "named": [
    \(entry("U-130102-EEB", "长安区生态环境分局", "130100", "石家庄市", "T1", "整治散乱污企业", "overdue", 32, "warning", "reminder")),
    \(entry("U-130102-EEB", "长安区生态环境分局", "130100", "石家庄市", "T1", "整治散乱污企业", "not_reported", 0, "warning", "reminder")),
    \(entry("U-130104-GOV", "桥西区人民政府", "130100", "石家庄市", "T2", "黑臭水体治理", "stalled", 0, "reminder", nil)),
    \(entry("U-130202-GOV", "路南区人民政府", "130200", "唐山市", "T3", "钢铁超低排放改造", "overdue", 5, "public_notice", "warning"))
    ]}
    """).utf8))

private func text(_ notice: NameAndShame, language: ReportLanguage = .zh, as format: ReportFormat = .md, issuedOn: String? = "2026-11-03") throws -> String {
    try rendered(ReportJobs.nameAndShame, notice, period: "2026-10", as: format, language: language, issuedOn: issuedOn, number: "冀督改办通〔2026〕2号")
}

@Suite("Rendering the name-and-shame notice")
struct NoticeRendererTests {
    @Test("in Chinese, the official form: issuer and number, 关于…的通报, 主送, body, attachments by level, 落款 and 成文日期, 抄送, 印发")
    func chinese() throws {
        let text = try text(notice)
        #expect(text.hasPrefix("**河北省中央生态环境保护督察整改工作领导小组办公室**\n\n冀督改办通〔2026〕2号\n\n# 关于2026年10月中央生态环境保护督察整改任务推进滞后单位的通报\n"))
        #expect(text.contains("\n各市（含定州、辛集市）督察整改办，省直有关部门：\n"))
        #expect(text.contains("截至2026年10月31日24时，全省有3个单位牵头的3项中央生态环境保护督察整改任务"), "dated so that a task due that day is already late")
        #expect(text.contains("本期通报批评1个单位、预警1个单位、提醒1个单位。"))
        #expect(text.contains("| 唐山市 | 路南区人民政府 | 预警 | 通报批评 |") && text.contains("| 石家庄市 | 长安区生态环境分局 | 提醒 | 预警 |"),
                "who moved up, as a table")
        #expect(text.contains("## 附件：") == false && text.contains("附件：1. 通报批评单位及整改任务清单（1个单位）　2. 预警单位及整改任务清单（1个单位）"))
        #expect(text.contains("| 石家庄市 | 长安区生态环境分局 | 整治散乱污企业 | 2026年9月30日 | 逾期未完成、未按时报送进展 | 32 |"),
                "one row per unit and task, its reasons together, names not ids")
        #expect(text.contains("请被点名单位于本通报印发之日起10个工作日内"))
        #expect(text.contains("\n2026年11月3日\n") && text.contains("抄送：省委办公厅") && text.hasSuffix("河北省中央生态环境保护督察整改工作领导小组办公室　　2026年11月3日印发\n"))
        #expect(!text.contains("overdue") && !text.contains("reminder") && !text.contains("2026-10") && !text.contains("（T1）"))
    }

    @Test("no empty section: a level nobody reached has no attachment, and the first notice says so")
    func noEmptySection() throws {
        var first = notice
        first.previousNotice = nil
        first.named = first.named.filter { $0.level == .reminder }
        first.unitsNamed = 1
        let text = try text(first)
        #expect(!text.contains("通报批评单位及整改任务清单") && !text.contains("本期无") && !text.contains("升级情况"))
        #expect(text.contains("本期为首期点名通报"))
        #expect(text.contains("附件：1. 提醒单位及整改任务清单（1个单位）"))
    }

    @Test("a draft says it is one, with no number and no date until it is issued")
    func draft() throws {
        let text = try rendered(ReportJobs.nameAndShame, notice, period: "2026-10", issuedOn: nil)
        #expect(text.hasPrefix("> 拟稿：尚未签发。"))
        #expect(!text.contains("冀督改办通") && text.contains("（签发时填写成文日期）"))
    }

    @Test("CSV in Chinese says 逾期未完成 and 提醒, with names beside codes, after a byte order mark for Excel; in English the SPEC's words")
    func csv() {
        let zh = CSVRenderer.notice(notice, period: "2026-10", language: .zh).split(separator: "\r\n").map(String.init)
        #expect(zh[0] == "\u{FEFF}月份,所在市,单位代码,单位,地区代码,地区,任务编号,整改任务,整改时限,延期前时限,点名原因,逾期天数,点名等级")
        #expect(zh[1] == "2026年10月,石家庄市,U-130102-EEB,长安区生态环境分局,13010001,某区,T1,整治散乱污企业,2026-09-30,,逾期未完成,32,预警")
        #expect(zh[3].hasSuffix(",推进滞后,,提醒"))
        let en = CSVRenderer.notice(notice, period: "2026-10", language: .en).split(separator: "\r\n").map(String.init)
        #expect(en[4].hasSuffix(",overdue,5,public_notice"))
        #expect(!en[0].hasPrefix("\u{FEFF}"), "a byte order mark only for Excel, in Chinese")
    }

    @Test("in English the opening reads naturally and the levels are words")
    func english() throws {
        let text = try text(notice, language: .en)
        #expect(text.contains("# Notice Naming the Units Behind on Central Environmental Inspection Rectification, October 2026\n"))
        #expect(text.contains("As of the end of 31 October 2026, 3 units lead 3 rectification tasks that are overdue, unreported or stalled"))
        #expect(text.contains("| 唐山市 | 路南区人民政府 | Warning | Public criticism |"))
        #expect(text.contains("| Overdue; Progress not reported | 32 |"))
    }

    @Test("the HTML notice has its red header, its number and its signature, in a CJK font stack")
    func html() throws {
        let page = try text(notice, as: .html)
        #expect(page.contains(#"<html lang="zh-CN">"#) && page.contains("Noto Sans CJK SC"))
        #expect(page.contains(#"<div class="letterhead"><div class="issuer">河北省中央生态环境保护督察整改工作领导小组办公室</div><div class="number">冀督改办通〔2026〕2号</div></div>"#))
        #expect(page.contains(#"<div class="signature">河北省中央生态环境保护督察整改工作领导小组办公室<br>2026年11月3日</div>"#))
        #expect(page.contains(#"<section class="attachment">"#) && page.contains("抄送："))
    }
}
