import Foundation
import RectifyReports
import Testing

private let schedule = try! JSONDecoder().decode(MonthlySchedule.self, from: Data(#"""
    {"tasks_total": 52, "tasks_closed": 40, "tasks_accepted": 3, "tasks_pending_acceptance": 2, "tasks_in_progress": 5,
     "tasks_not_started": 2, "tasks_overdue": 4, "tasks_due_next_month": 1, "petitions_total": 2388, "petitions_closed": 2300,
     "petitions_closed_in_stages": 79, "petitions_open": 9, "offices_not_reported": 6,
     "by_round": [{"round": "CEI2-HE", "round_name": "第二轮中央生态环境保护督察", "tasks_total": 52, "tasks_closed": 40, "tasks_accepted": 3,
                   "tasks_pending_acceptance": 2, "tasks_in_progress": 5, "tasks_not_started": 2, "tasks_overdue": 4,
                   "tasks_due_next_month": 1, "petitions_total": 2388, "petitions_closed": 2300, "petitions_closed_in_stages": 79,
                   "petitions_open": 9, "offices_not_reported": 6}],
     "by_region": [{"region": "130100", "name": "石家庄市", "level": "city", "tasks_total": 40, "tasks_closed": 30, "tasks_accepted": 3,
                    "tasks_pending_acceptance": 2, "tasks_in_progress": 4, "tasks_not_started": 1, "tasks_overdue": 3, "tasks_due_next_month": 1},
                   {"region": "130102", "name": "长安区", "level": "county", "tasks_total": 0},
                   {"region": "130181", "name": "辛集市", "level": "county", "tasks_total": 10, "tasks_closed": 8, "tasks_in_progress": 1,
                    "tasks_not_started": 1, "tasks_overdue": 2}],
     "due_next_month": [{"task": "T9", "task_title": "滹沱河生态补水", "unit": "U1", "unit_name": "石家庄市人民政府", "region": "130100",
                         "region_name": "石家庄市", "city_name": "石家庄市", "deadline": "2026-11-30"}],
     "city_ranking": [{"rank": 1, "region": "130100", "name": "石家庄市", "tasks_total": 52, "tasks_on_schedule": 48, "share_on_schedule": 0.923}]}
    """#.utf8))

@Suite("Rendering the monthly schedule")
struct ScheduleRendererTests {
    @Test("in Chinese: 总体情况 with the backlog, 存在问题, 临期预警 by name, 工作要求; places as Hebei groups them, with 省直部门 as a row")
    func chinese() throws {
        let text = try rendered(ReportJobs.monthlySchedule, schedule, period: "2026-10")
        #expect(text.contains("# 中央生态环境保护督察整改任务月度调度情况（2026年10月）\n"))
        #expect(text.contains("已销号40项（本月新增销号0项），已验收、公示中3项，待验收2项，正在推进5项，未启动2项。逾期未完成4项"))
        #expect(text.contains("已办结2300件、阶段性办结79件，尚未办结9件。6个地区督察整改办未按时报送本月进展"))
        #expect(text.contains("## 三、临期预警") && text.contains("| 石家庄市 | 石家庄市人民政府 | 滹沱河生态补水 | 2026年11月30日 |"))
        #expect(text.contains("| 石家庄市 | 30 | 22 | 3 | 2 | 3 | 0 | 1 | 1 |"), "辛集 taken out of its city's row")
        #expect(text.contains("| 辛集市 | 10 | 8 | 0 | 0 | 1 | 1 | 2 | 0 |") && !text.contains("长安区"),
                "辛集 as a row of its own; a county without tasks left out of the document")
        #expect(text.contains("| 省直部门 | 12 | 10 | 0 | 0 | 1 | 1 | 1 | 0 |"), "the tasks of no city or county as a row")
        #expect(text.contains("按期推进率 = 1 − 逾期未完成任务数 ÷ 整改任务总数"))
        #expect(text.contains("| 1 | 石家庄市 | 30 | 29 | 96.7% |") && text.contains("| 2 | 辛集市 | 10 | 8 | 80.0% |"))
        #expect(!text.contains("推进中") && !text.contains("已验收待销号") && !text.contains("CEI2-HE"))
    }

    @Test("CSV in Chinese carries the petition figures and dates the period in Chinese")
    func csv() {
        let lines = CSVRenderer.schedule(schedule, period: "2026-10", language: .zh).split(separator: "\r\n").map(String.init)
        #expect(lines[0].contains("正在推进") && lines[0].contains("未按时报送进展的单位"))
        #expect(lines[1].hasPrefix("2026年10月,全省,,52,40,3,2,5,0,2,4,1,0,0,2388,2300,79,9,6,0"))
    }

    @Test("the HTML form carries its charts and draws them to fit a phone")
    func html() throws {
        let page = try rendered(ReportJobs.monthlySchedule, schedule, period: "2026-10", as: .html)
        #expect(page.contains(#"viewBox="0 0 750 "#), "an SVG that scales with the page keeps all its bars")
        #expect(page.contains(#"<meta name="viewport" content="width=device-width, initial-scale=1">"#))
        #expect(page.contains("各地整改任务完成情况"))
    }

    @Test("in English: natural labels, the month after by name")
    func english() throws {
        let text = try rendered(ReportJobs.monthlySchedule, schedule, period: "2026-10", language: .en)
        #expect(text.contains("# Monthly Progress of Central Environmental Inspection Rectification Tasks, October 2026"))
        #expect(text.contains("Due in November") && text.contains("Provincial departments"))
    }
}
