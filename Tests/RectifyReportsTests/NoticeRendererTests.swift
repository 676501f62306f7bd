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

private let heading = ReportHeading(period: "2026-10", issuer: "河北省生态环境保护督察整改工作领导小组办公室", issuedOn: "2026-11-01", number: "冀督改办通〔2026〕10号")

@Suite("Rendering the name-and-shame notice")
struct NoticeRendererTests {
    @Test("in Chinese: issuer, number and date; who moved up; three level sections; units by city with task titles")
    func chinese() {
        let text = NoticeRenderer.markdown(notice, heading: heading, language: .zh)
        #expect(text.hasPrefix("# 中央生态环境保护督察整改工作点名通报（2026年10月）\n"))
        #expect(text.contains("**河北省生态环境保护督察整改工作领导小组办公室**　冀督改办通〔2026〕10号"))
        #expect(text.hasSuffix("河北省生态环境保护督察整改工作领导小组办公室\n\n2026年11月1日\n"))
        #expect(text.contains("截至2026年10月31日，3个单位牵头的3项整改任务"))
        #expect(text.contains("通报1个单位，预警1个单位，提醒1个单位。"))
        #expect(text.contains("与上期（2026年9月）点名通报相比，长安区生态环境分局由提醒升为预警；路南区人民政府由预警升为通报。"))
        let sections = text.components(separatedBy: "\n## ").dropFirst().map { $0.prefix { $0 != "\n" } }
        #expect(sections == ["一、通报（1个单位）", "二、预警（1个单位）", "三、提醒（1个单位）"])
        #expect(text.contains("### 唐山市\n"))
        #expect(text.contains("| 长安区生态环境分局 | 整治散乱污企业（T1） | 2026年9月30日 | 逾期未完成、未按时报送进展 | 32 |"),
                "one row per unit and task, its reasons together")
        #expect(text.contains("| 桥西区人民政府 | 黑臭水体治理（T2） | 2026年9月30日 | 推进滞后 |  |"))
        #expect(!text.contains("overdue") && !text.contains("reminder") && !text.contains("2026-10"))
    }

    @Test("a level nobody reached still has its section; the first notice says so")
    func emptySection() {
        var first = notice
        first.previousNotice = nil
        first.named = first.named.filter { $0.level == .reminder }
        let text = NoticeRenderer.markdown(first, heading: heading, language: .zh)
        #expect(text.contains("## 一、通报（0个单位）\n\n本期无。"))
        #expect(text.contains("本期为首期点名通报"))
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

    @Test("in English the lead reads naturally and the levels are words")
    func english() {
        let text = NoticeRenderer.markdown(notice, heading: heading, language: .en)
        #expect(text.hasPrefix("# Name-and-Shame Notice on Central Environmental Inspection Rectification, October 2026\n"))
        #expect(text.contains("As of 31 October 2026, 3 units lead 3 rectification tasks that are overdue"))
        #expect(text.contains("Since the previous notice (September 2026), 长安区生态环境分局 moved up from reminder to warning; "
            + "路南区人民政府 moved up from warning to public notice."))
        #expect(text.contains("## 1. Public notice (1 unit)"))
        #expect(text.contains("| Overdue; Progress not reported | 32 |"))
    }

    @Test("the HTML notice has its red header, its number and its signature, in a CJK font stack")
    func html() {
        let page = HTMLRenderer.notice(notice, heading: heading, language: .zh)
        #expect(page.contains(#"<html lang="zh-CN">"#) && page.contains("Noto Sans CJK SC"))
        #expect(page.contains(#"<div class="letterhead"><div class="issuer">河北省生态环境保护督察整改工作领导小组办公室</div><div class="number">冀督改办通〔2026〕10号</div></div>"#))
        #expect(page.contains("<h3>石家庄市</h3>"))
        #expect(page.contains(#"<div class="signature">河北省生态环境保护督察整改工作领导小组办公室<br>2026年11月1日</div>"#))
    }
}
