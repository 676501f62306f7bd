import RectifyDomain
import Testing

@Suite("The demo province and its three months")
struct DemoProvinceTests {
    private let ledger = DemoProvince.ledger()

    @Test("河北省's cities and 雄安新区 under their real codes; every county shares its city's first four digits")
    func regions() {
        let cities = ledger.regions.filter { $0.level == .city }
        #expect(cities.map(\.code) == ["130100", "130200", "130300", "130400", "130500", "130600", "130700", "130800", "130900",
                                       "131000", "131100", "133100"])
        #expect(cities.map(\.name).prefix(3) == ["石家庄市", "唐山市", "秦皇岛市"])
        for county in ledger.regions where county.level == .county {
            #expect(county.code.prefix(4) == county.parent!.prefix(4), "\(county.name) \(county.code)")
        }
        let names = Dictionary(uniqueKeysWithValues: ledger.regions.map { ($0.code, $0.name) })
        #expect(names["130102"] == "长安区" && names["130202"] == "路南区" && names["130629"] == "容城县")
        #expect(ledger.units.contains { $0.name == "石家庄市人民政府" } && ledger.units.contains { $0.name == "石家庄市生态环境局长安区分局" })
    }

    @Test("offices report for their own region's units, move tasks at most to pending acceptance, and never report less; the province decides what waits for it")
    func monthsKeepTheStateMachine() throws {
        let months = DemoMonths.periods(endingWith: Period("2026-10")!)
        #expect(months.map(\.description) == ["2026-08", "2026-09", "2026-10"])
        let tasks = Dictionary(uniqueKeysWithValues: ledger.tasks.map { ($0.id, $0) })
        let unitRegions = Dictionary(uniqueKeysWithValues: ledger.units.map { ($0.id, $0.region) })
        let plan = DemoMonths.plan(months, ledger: ledger)
        #expect(plan == DemoMonths.plan(months, ledger: ledger), "the same on every run")
        var state = Dictionary(uniqueKeysWithValues: ledger.tasks.map { ($0.id, (progress: $0.progress, status: $0.status)) })
        for (month, plan) in plan.enumerated() {
            for (id, task) in state where task.status == .accepted { state[id]!.status = .closed }
            #expect(!plan.submissions.isEmpty && !plan.decisions.isEmpty)
            for submission in plan.submissions {
                let task = tasks[submission.task]!
                #expect(submission.officeRegion == unitRegions[task.leadUnit])
                let before = state[task.id]!
                #expect(before.status == submission.status || before.status.allows(submission.status, by: .office),
                        "\(task.id): \(before.status) → \(submission.status)")
                #expect(submission.progress >= before.progress)
                #expect(submission.period == months[month])
                state[task.id] = (submission.progress, submission.status)
            }
            for decision in plan.decisions {
                #expect(decision.on.period == months[month])
                switch decision.kind {
                case .accept:
                    #expect(state[decision.task]!.status == .pendingAcceptance)
                    state[decision.task]!.status = decision.on.day < 20 ? .closed : .accepted
                case .reject:
                    #expect(state[decision.task]!.status == .pendingAcceptance)
                    state[decision.task]!.status = .inProgress
                case .object:
                    #expect(state[decision.task]!.status == .closed && decision.on.day < 19, "objected inside the notice")
                    state[decision.task]!.status = .inProgress
                }
            }
            #expect(plan.decisions.map(\.on) == plan.decisions.map(\.on).sorted(), "taken in order of their days")
        }
        #expect(plan.flatMap(\.decisions).filter { $0.kind == .object }.count == 1, "one objection, in the second month")
        let extensions = (0..<3).map { DemoMonths.extensions(month: $0, of: months, ledger: ledger) }
        #expect(extensions.map(\.count) == [0, 1, 0], "the province extends one deadline, in September")
        let extended = try #require(extensions[1].first.flatMap { decision in tasks[decision.task].map { (decision, $0) } })
        #expect(extended.1.deadline <= Day("2026-10-31")! && extended.0.to == Day("2026-12-31")!, "late by October but for the extension")
    }
}
