import RectifyDomain

/// The name-and-shame notice (点名通报) as an office issues it: issuer, document number and
/// date; a lead that says how many units are named and which moved up since the last notice;
/// then one section per level (通报, 预警, 提醒), units grouped by city, with their tasks.
public enum NoticeRenderer {
    /// The notice in Markdown.
    public static func markdown(_ notice: NameAndShame, heading: ReportHeading, language l: ReportLanguage) -> String {
        var lines = ["# " + ReportTitles.title(ReportJobs.nameAndShame, heading.period, l), "",
                     "**\(heading.issuer)**　\(heading.number)", "", ReportTitles.asOf(heading.period, l), ""]
        lines += lead(notice, heading.period, l)
        for section in sections(notice, l) {
            lines += ["", "## " + section.title]
            if section.cities.isEmpty { lines += ["", l.text("本期无。", "None this month.")] }
            for city in section.cities {
                lines += ["", "### " + city.name, "", "| " + columns(l).joined(separator: " | ") + " |", "| --- | --- | --- | --- | ---: |"]
                lines += city.rows.map { "| " + $0.joined(separator: " | ") + " |" }
            }
        }
        lines += ["", closing(l), "", heading.issuer, "", l.day(heading.issuedOn)]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The lead paragraphs: who is named at which level, and who moved up since the last notice.
    static func lead(_ notice: NameAndShame, _ period: String, _ l: ReportLanguage) -> [String] {
        let units = levelsByUnit(notice)
        func count(_ level: NameAndShame.Level) -> Int { units.values.filter { $0.level == level }.count }
        let asOf = l.day(Period(period).map { "\($0.lastDay)" } ?? period)
        var paragraphs = [l.text(
            "截至\(asOf)，\(notice.unitsNamed)个单位牵头的\(notice.tasksNamed)项整改任务存在逾期未完成、未按时报送进展或推进滞后的问题，现予点名："
                + "通报\(count(.publicNotice))个单位，预警\(count(.warning))个单位，提醒\(count(.reminder))个单位。",
            "As of \(asOf), \(ReportLanguage.count(notice.unitsNamed, "unit")) lead \(ReportLanguage.count(notice.tasksNamed, "rectification task")) "
                + "that are overdue, whose progress was not reported, or that have stalled. They are named here: \(count(.publicNotice)) under public notice, "
                + "\(count(.warning)) warned and \(count(.reminder)) reminded.")]
        guard let previous = notice.previousNotice else {
            paragraphs.append(l.text("本期为首期点名通报，被点名单位均予提醒。", "This is the first notice; every unit named is reminded."))
            return paragraphs.flatMap { [$0, ""] }.dropLast()
        }
        var moves: [String] = []
        for (from, to) in [(NameAndShame.Level.reminder, NameAndShame.Level.warning), (.warning, .publicNotice), (.publicNotice, .publicNotice)] {
            let names = units.values.filter { $0.previous == from && $0.level == to }.map(\.name).sorted()
            guard !names.isEmpty else { continue }
            let list = names.joined(separator: l.text("、", ", "))
            moves.append(from == to
                ? l.text("\(list)连续被通报", "\(list) remained under public notice")
                : l.text("\(list)由\(l.name(of: from))升为\(l.name(of: to))", "\(list) moved up from \(l.name(of: from).lowercased()) to \(l.name(of: to).lowercased())"))
        }
        paragraphs.append(moves.isEmpty
            ? l.text("与上期（\(l.period(previous))）点名通报相比，无单位升级。", "No unit moved up since the previous notice (\(l.period(previous))).")
            : l.text("与上期（\(l.period(previous))）点名通报相比，", "Since the previous notice (\(l.period(previous))), ")
                + moves.joined(separator: l.text("；", "; ")) + l.text("。", "."))
        return paragraphs.flatMap { [$0, ""] }.dropLast()
    }

    static func closing(_ l: ReportLanguage) -> String {
        l.text("请被点名单位对照问题清单，逐项明确整改措施和完成时限，加快推进整改，并在下月调度时如实报送进展。",
               "The units named are to set out measures and dates for each task listed, speed up the work, and report their progress truthfully at next month's scheduling.")
    }

    static func columns(_ l: ReportLanguage) -> [String] {
        [l.text("单位", "Unit"), l.text("整改任务", "Task"), l.text("整改时限", "Deadline"), l.text("点名原因", "Reason"),
         l.text("逾期天数", "Days overdue")]
    }

    /// One section per level, most severe first, each numbered, with its units grouped by city
    /// (by code) and one row per unit and task, its reasons together.
    static func sections(_ notice: NameAndShame, _ l: ReportLanguage) -> [(title: String, cities: [(name: String, rows: [[String]])])] {
        let numbers = ["一", "二", "三"]
        return [NameAndShame.Level.publicNotice, .warning, .reminder].enumerated().map { index, level in
            let entries = notice.named.filter { $0.level == level }
            let title = l.text("\(numbers[index])、\(l.name(of: level))（\(Set(entries.map(\.unit)).count)个单位）",
                               "\(index + 1). \(l.name(of: level)) (\(ReportLanguage.count(Set(entries.map(\.unit)).count, "unit")))")
            let cities = Dictionary(grouping: entries, by: \.city).sorted { $0.key < $1.key }.map { _, entries in
                (name: group(of: entries[0], l), rows: rows(entries, l))
            }
            return (title, cities)
        }
    }

    /// The heading a named unit is listed under: its city, or for the province's own
    /// departments (a province's code ends in 0000, and sorts first) 省直部门.
    static func group(of entry: NameAndShame.Entry, _ l: ReportLanguage) -> String {
        entry.city.hasSuffix("0000") ? l.text("省直部门", "Provincial departments") : entry.cityName
    }

    /// A row per unit and task: the reasons joined, the days overdue when one of them is overdue.
    static func rows(_ entries: [NameAndShame.Entry], _ l: ReportLanguage) -> [[String]] {
        var order: [String] = []
        var grouped: [String: [NameAndShame.Entry]] = [:]
        for entry in entries {
            let key = entry.unit + "\u{1F}" + entry.task
            if grouped[key] == nil { order.append(key) }
            grouped[key, default: []].append(entry)
        }
        return order.map { key in
            let group = grouped[key]!.sorted { NameAndShame.Reason.allCases.firstIndex(of: $0.reason)! < NameAndShame.Reason.allCases.firstIndex(of: $1.reason)! }
            let first = group[0]
            let overdue = group.first { $0.reason == .overdue }
            return [first.unitName, l.text("\(first.taskTitle)（\(first.task)）", "\(first.taskTitle) (\(first.task))"),
                    l.day(first.deadline) + (first.originalDeadline.map {
                        l.text("（延期，原定\(l.day($0))）", " (extended from \(l.day($0)))")
                    } ?? ""),
                    group.map { l.name(of: $0.reason) }.joined(separator: l.text("、", "; ")), overdue.map { "\($0.daysOverdue)" } ?? ""]
        }
    }

    /// Each named unit's name, level, and level in the previous notice.
    static func levelsByUnit(_ notice: NameAndShame) -> [String: (name: String, level: NameAndShame.Level, previous: NameAndShame.Level?)] {
        var units: [String: (name: String, level: NameAndShame.Level, previous: NameAndShame.Level?)] = [:]
        for entry in notice.named { units[entry.unit] = (entry.unitName, entry.level, entry.previousLevel) }
        return units
    }
}
