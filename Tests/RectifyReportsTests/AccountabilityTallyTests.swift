import Foundation
import RectifyDomain
import RectifyLedger
import RectifyPostgres
import RectifyQueue
import RectifyReports
import RectifyTesting
import RectifyWorker
import Testing

/// Two rounds, four cases; period 2023-02 (last day 2023-02-28).
/// A1 (R1): concluded 2023-01-15; units U1, U2; persons P1 division/government_sanction, P2 department/admonishment.
/// A2 (R1): concluded 2023-02-10, in the period; unit U1 (held a second time); P1 again (a second case
///          counts again) division/party_discipline, P3 section_and_below/organizational_handling listed
///          twice (counts once).
/// A3 (R2): opened 2023-03-05, after the period: not counted.
/// A4 (R2): opened on the last day, concluded after it: open at the period's end, so it counts in
///          cases_total only (正在办理), and its unit U2 is not yet held.
private let ledger = #"""
{"format": "rectify-ledger/1",
 "regions": [{"code": "130000", "name": "Hebei", "level": "province", "parent": null}],
 "units": [{"id": "U1", "name": "Unit one", "region": "130000", "kind": "government"},
           {"id": "U2", "name": "Unit two", "region": "130000", "kind": "department"}],
 "rounds": [{"id": "R1", "name": "Round one", "group": "G1", "region": "130000", "inspected_from": "2020-01-01", "inspected_to": "2020-02-01", "feedback_on": "2020-03-01"},
            {"id": "R2", "name": "Round two", "group": "G2", "region": "130000", "inspected_from": "2022-01-01", "inspected_to": "2022-02-01", "feedback_on": "2022-03-01"}],
 "accountability": [
  {"id": "A1", "round": "R1", "region": "130000", "source": "transferred_by_inspection", "opened_on": "2022-06-10", "concluded_on": "2023-01-15",
   "units": ["U1", "U2"], "persons": [{"name": "P1", "position": "Deputy", "rank": "division", "sanction": "government_sanction"},
                                      {"name": "P2", "position": "Director", "rank": "department", "sanction": "admonishment"}]},
  {"id": "A2", "round": "R1", "region": "130000", "source": "provincial", "opened_on": "2022-08-01", "concluded_on": "2023-02-10",
   "units": ["U1"], "persons": [{"name": "P1", "position": "Deputy", "rank": "division", "sanction": "party_discipline"},
                                {"name": "P3", "position": "Clerk", "rank": "section_and_below", "sanction": "organizational_handling"},
                                {"name": "P3", "position": "Clerk", "rank": "section_and_below", "sanction": "organizational_handling"}]},
  {"id": "A3", "round": "R2", "region": "130000", "source": "other", "opened_on": "2023-03-05", "concluded_on": null,
   "units": ["U2"], "persons": [{"name": "P4", "position": "Governor", "rank": "provincial", "sanction": "other"}]},
  {"id": "A4", "round": "R2", "region": "130000", "source": "provincial", "opened_on": "2023-02-28", "concluded_on": "2023-03-01",
   "units": ["U2", "U2"], "persons": []}]}
"""#

@Suite("Accountability tally", .database)
struct AccountabilityTallyTests {
    @Test("figures worked out by hand: period cut-off, units per case, persons once per case, every key present")
    func tallyFigures() async throws {
        let database = try await TestDatabase.fresh("tally")
        try await database.withPool { pool in
            let importer = LedgerImporter(pool: pool, logger: TestLogging.logger)
            _ = try await importer.importLedger(try LedgerReader.read(Data(ledger.utf8)))
            let queue = JobQueue(pool: pool)
            let args = ReportJobs.Args(period: "2023-02")
            let first = try #require(try await queue.enqueue(try JobRequest(kind: ReportJobs.accountabilityTally, args: args)).insertedID)
            try await runWorkerUntilFinished([first], pool: pool)

            let reports = try await ReportStore(pool: pool).list(period: "2023-02")
            #expect(reports.count == 1)
            let report = try #require(reports.first)
            let tally = try JSONDecoder().decode(AccountabilityTally.self, from: Data(report.figuresJSON.utf8))
            #expect(tally.overall.casesTotal == 3)
            #expect(tally.overall.casesConcluded == 2 && tally.overall.casesConcludedInPeriod == 1 && tally.overall.casesOpen == 1)
            #expect(tally.overall.casesTransferred == 1 && tally.overall.casesTransferredConcluded == 1)
            #expect(tally.overall.unitsHeld == 3, "U1 twice and U2 once; A4's U2 is not held while A4 is open")
            #expect(tally.overall.personsHeld == 4)
            #expect(tally.overall.personsByRank == ["provincial": 0, "department": 1, "division": 2, "section_and_below": 1, "other": 0])
            #expect(tally.overall.personsBySanction == [
                "party_discipline": 1, "government_sanction": 1, "admonishment": 1, "organizational_handling": 1, "other": 0,
            ])
            #expect(tally.byRound.map(\.round) == ["R1", "R2"])
            #expect(tally.byRound[0].figures.casesTotal == 2 && tally.byRound[0].figures.unitsHeld == 3 && tally.byRound[0].figures.personsHeld == 4)
            #expect(tally.byRound[1].figures.casesTotal == 1 && tally.byRound[1].figures.casesConcluded == 0)
            #expect(tally.byRound[1].figures.unitsHeld == 0 && tally.byRound[1].figures.personsByRank.values.allSatisfy { $0 == 0 })
            #expect(tally.byPlace.map(\.region) == ["130000"] && tally.byPlace[0].casesProvincial == 2 && tally.byPlace[0].personsHeld == 4)

            let document = try #require(try JSONSerialization.jsonObject(with: Data(report.documentJSON.utf8)) as? [String: Any])
            #expect(document["kind"] as? String == "accountability_tally")
            #expect(document["period"] as? String == "2023-02")
            #expect(((document["figures"] as? [String: Any])?["by_round"] as? [Any])?.count == 2)

            let again = try #require(try await queue.enqueue(try JobRequest(kind: ReportJobs.accountabilityTally, args: args)).insertedID)
            try await runWorkerUntilFinished([again], pool: pool)
            let rerun = try await ReportStore(pool: pool).list(period: "2023-02")
            #expect(rerun.map(\.id) == [report.id], "running the month again replaces its report")
        }
    }

    @Test("a period that is not YYYY-MM, or a month not over, cancels the job with the reason, writing nothing")
    func badPeriod() async throws {
        let database = try await TestDatabase.fresh("tallybad")
        try await database.withPool { pool in
            let queue = JobQueue(pool: pool)
            let now = Period(containing: Date(), in: ReportJobs.timeZone)
            let ids = try await queue.enqueue([
                try JobRequest(kind: ReportJobs.accountabilityTally, args: ReportJobs.Args(period: "2023-13")),
                try JobRequest(kind: ReportJobs.monthlySchedule, args: ReportJobs.Args(period: "\(now)")),
            ]).compactMap(\.insertedID)
            try await runWorkerUntilFinished(ids, pool: pool)
            let malformed = try await queue.job(id: ids[0])
            #expect(malformed.state == .cancelled)
            #expect(malformed.errors.last?.error == #"cancelled: period "2023-13" is not a month YYYY-MM"#)
            let current = try await queue.job(id: ids[1])
            #expect(current.state == .cancelled)
            #expect(current.errors.last?.error == "cancelled: period \(now) has not ended yet (it is \(now) in Asia/Shanghai); "
                + "a month is reported on once it is over")
            #expect(try await ReportStore(pool: pool).list().isEmpty)
        }
    }

    private func runWorkerUntilFinished(_ ids: [Int64], pool: PostgresPool) async throws {
        var registry = JobRegistry()
        ReportJobs.register(into: &registry)
        var configuration = WorkerConfiguration()
        configuration.pollInterval = .milliseconds(50)
        let worker = Worker(pool: pool, registry: registry, configuration: configuration, logger: TestLogging.logger)
        let queue = JobQueue(pool: pool)
        let finished = try await runWorkers([worker]) {
            for id in ids where !(try await queue.job(id: id).state.isFinished) { return false }
            return true
        }
        #expect(finished)
    }
}
