import ArgumentParser
import Foundation
import RectifyAccounts
import RectifyQueue

extension BenchCommand {
    /// What a password costs: bcrypt at the costs around the one rectify uses.
    struct Passwords: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time bcrypt at costs 10 to 13 (rectify hashes at 12): what each sign-in costs one core.")

        @Option(help: "Hashes per cost.") var rounds = 5
        @Flag(help: "Print one JSON object.") var json = false

        func run() async throws {
            var medians: [String: Double] = [:]
            for cost: UInt8 in 10...13 {
                var times: [Double] = []
                for _ in 0..<rounds {
                    let started = ContinuousClock.now
                    let hash = try await RectifyAccounts.Passwords.hash("Hebei-rectify-2026!", cost: cost)
                    times.append(started.duration(to: .now).secondsDouble * 1000)
                    guard try await RectifyAccounts.Passwords.verify("Hebei-rectify-2026!", hash: hash) else {
                        throw CommandError("bcrypt at cost \(cost) did not verify its own hash")
                    }
                }
                let median = times.sorted()[times.count / 2]
                medians["\(cost)"] = median
                if !json {
                    print("bcrypt cost \(cost)\(cost == RectifyAccounts.Passwords.cost ? " (rectify's)" : "")  \(String(format: "%.0f", median)) ms a hash (median of \(rounds))")
                }
            }
            if json { printJSON(["bcrypt_ms_median": medians]) }
        }
    }
}
