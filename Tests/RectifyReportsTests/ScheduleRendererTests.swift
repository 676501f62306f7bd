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
     "by_region": [{"region": "130100", "name": "石家庄市", "level": "city", "tasks_total": 52, "tasks_closed": 40, "tasks_accepted": 3,
                    "tasks_pending_acceptance": 2, "tasks_in_progress": 5, "tasks_not_started": 2, "tasks_overdue": 4, "tasks_due_next_month": 1}],
     "city_ranking": [{"rank": 1, "region": "130100", "name": "石家庄市", "tasks_total": 52, "tasks_on_schedule": 48, "share_on_schedule": 0.923}]}
    """#.utf8))

@Suite("Rendering the monthly schedule")
struct ScheduleRendererTests {
    @Test("in Chinese: the title, the dating line, petitions beside tasks, next month by name, rounds by name")
    func markdownChinese() {
        let text = ScheduleRenderer.markdown(schedule, period: "2026-10", language: .zh)
        #expect(text.hasPrefix("# 中央生态环境保护督察整改任务月度调度情况（2026年10月）\n\n统计期：2026年10月（数据截至2026年10月31日）\n"))
        #expect(text.contains("| 整改任务总数 | 52 | 信访件总数 | 2388 |"))
        #expect(text.contains("| 已销号 | 40 | 信访件已办结 | 2300 |"))
        #expect(text.contains("| 已验收待销号 | 3 | 阶段性办结 | 79 |"))
        #expect(text.contains("| 待验收 | 2 | 未办结 | 9 |"))
        #expect(text.contains("| 推进中 | 5 | 未按时报送进展的地区（单位） | 6 |"))
        #expect(text.contains("| 次月（11月）到期 | 1 |  |  |\n| 经批准延期 | 0 |  |  |"))
        #expect(text.contains("| 第二轮中央生态环境保护督察（CEI2-HE） | 52 |"))
        #expect(!text.contains("期间") && !text.contains("下月到期") && !text.contains("本月未报送"))
    }

    @Test("the HTML summary carries the headline petition figures")
    func htmlPetitions() {
        let page = HTMLRenderer.schedule(schedule, period: "2026-10", language: .zh)
        for cell in ["<td>信访件已办结</td><td class=\"n\">2300</td>", "<td>阶段性办结</td><td class=\"n\">79</td>",
                     "<td>未办结</td><td class=\"n\">9</td>"] {
            #expect(page.contains(cell), "\(cell)")
        }
        #expect(page.contains("<title>中央生态环境保护督察整改任务月度调度情况（2026年10月）</title>"))
    }

    @Test("CSV in Chinese carries the petition figures and dates the period in Chinese")
    func csvChinese() {
        let lines = CSVRenderer.schedule(schedule, period: "2026-10", language: .zh).split(separator: "\r\n").map(String.init)
        #expect(lines[0] == "\u{FEFF}月份,范围,名称,整改任务,已销号,已验收待销号,待验收,推进中,未启动,逾期未完成,次月到期,信访件,信访件已办结,阶段性办结,未办结,未按时报送进展的地区（单位）")
        #expect(lines[1] == "2026年10月,全省,,52,40,3,2,5,2,4,1,2388,2300,79,9,6")
        #expect(lines[2].hasPrefix("2026年10月,CEI2-HE,第二轮中央生态环境保护督察,52,"))
    }

    @Test("tasks at the province itself, in no city's row, are counted under the region table")
    func provincialTasks() throws {
        #expect(!ScheduleRenderer.markdown(schedule, period: "2026-10", language: .zh).contains("省本级"),
                "no note when the cities add up to the province")
        var withProvincial = schedule
        withProvincial.overall.tasks.tasksTotal += 6
        withProvincial.overall.tasks.tasksClosed += 4
        withProvincial.overall.tasks.tasksOverdue += 1
        let note = "另有省本级整改任务6项（已销号4项、逾期未完成1项），不属任何市、县，未列入本表。"
        #expect(ScheduleRenderer.markdown(withProvincial, period: "2026-10", language: .zh).hasSuffix("\n\n" + note + "\n"))
        #expect(HTMLRenderer.schedule(withProvincial, period: "2026-10", language: .zh).contains(note))
        withProvincial.overall.tasks.tasksTotal -= 5
        #expect(ScheduleRenderer.markdown(withProvincial, period: "2026-10", language: .en)
            .contains("A further 1 task at the provincial level (4 closed, 1 overdue) belongs to no city or county and is not in this table."))
    }

    @Test("in English: natural labels, the month after by name")
    func markdownEnglish() {
        let text = ScheduleRenderer.markdown(schedule, period: "2026-10", language: .en)
        #expect(text.hasPrefix("# Monthly Progress of Central Environmental Inspection Rectification Tasks, October 2026\n\nPeriod: October 2026 (figures as of 31 October 2026)\n"))
        #expect(text.contains("| Due in November | 1 |  |  |"))
        #expect(text.contains("| Closed | 40 | Closed | 2300 |"))
    }
}
