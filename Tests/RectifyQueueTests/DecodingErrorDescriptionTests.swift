import Foundation
@testable import RectifyQueue
import Testing

/// A poison job's error names the field as its arguments spell it, so an operator can find it.
@Suite("Errors of job arguments that do not decode")
struct DecodingErrorDescriptionTests {
    struct Sleep: Decodable { var sleepMs: Int }
    struct Job: Decodable { var jobID: Int }
    struct Units: Decodable { var units: [String: Int] }

    private func describe<Args: Decodable>(_ type: Args.Type, _ json: String) -> String {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            _ = try decoder.decode(type, from: Data(json.utf8))
            return "decoded"
        } catch {
            return DecodingErrorDescription.describe(error)
        }
    }

    @Test("fields in snake_case as written, acronyms as one word, a dictionary's keys as they are")
    func fieldNames() {
        #expect(describe(Sleep.self, #"{"sleep_ms": "soon"}"#) == "sleep_ms is not a valid Int")
        #expect(describe(Job.self, #"{"job_id": 7}"#) == "job_id is missing")
        #expect(describe(Units.self, #"{"units": {"U-130100-GOV": "x"}}"#) == "units.U-130100-GOV is not a valid Int")
    }
}
