import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import RectifyAPI
import RectifyDomain
import RectifyLedger
import RectifyPostgres
import RectifyProgress
import ServiceLifecycle

/// Delivers the demo's submissions the way the offices do: `POST /v1/progress` with each
/// office's bearer token, to a server started for the purpose on a loopback port.
enum DemoSubmissions {
    struct Refused: Error, CustomStringConvertible {
        var description: String
    }

    /// What the server answered for a month's submissions.
    struct Delivery {
        /// The jobs that apply the submissions, new or from an earlier run.
        var jobs: [Int64]
        /// How many submissions the server had already received on an earlier run.
        var repeated: Int
    }

    /// Gives each reporting office a fresh token, starts the API on 127.0.0.1 (a free port),
    /// posts every submission (a few at a time) with its office's token, and stops the server.
    ///
    /// - Parameter offices: each region's office, which reports on the tasks led from its region.
    static func deliver(
        _ submissions: [DemoSubmission], offices: [String: Int64], pool: PostgresPool, settings: APIServer.Settings, logger: Logger
    ) async throws -> Delivery {
        let earlier = Set(try await pool.query("""
            SELECT submission_id FROM rectify_ledger_submissions WHERE submission_id = ANY(\(submissions.map(\.id))::text[])
            """).map { try $0.decode(String.self, at: 0) })
        let registry = OfficeRegistry(pool: pool)
        var tokens: [String: String] = [:]
        for region in Set(submissions.map(\.officeRegion)).sorted() {
            guard let office = offices[region] else { throw Refused(description: "region \(region) has no office to report for it") }
            tokens[region] = try await registry.rotateToken(id: office)
        }
        var server = settings
        server.host = "127.0.0.1"
        server.port = 0
        server.rateLimitPerAddress = .off  // every office posts from this process
        server.rateLimitPerToken = .off
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let application = APIServer.application(pool: pool, settings: server, logger: logger) { port in portSink.yield(port) }
        let group = ServiceGroup(configuration: .init(services: [.init(service: application)], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks -> Delivery in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw Refused(description: "the demo's API server did not start") }
            let endpoint = URL(string: "http://127.0.0.1:\(port)/v1/progress")!
            let jobs: [Int64]
            do {
                jobs = try await post(submissions, to: endpoint, tokens: tokens)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return Delivery(jobs: jobs, repeated: earlier.count)
        }
    }

    /// Posts every submission, eight at a time; stops after the batch that holds the first refusal. Returns the jobs that apply them.
    private static func post(_ submissions: [DemoSubmission], to endpoint: URL, tokens: [String: String]) async throws -> [Int64] {
        let session = URLSession(configuration: .ephemeral)
        var jobs: [Int64] = []
        for start in stride(from: 0, to: submissions.count, by: 8) {
            let batch = submissions[start..<min(start + 8, submissions.count)]
            // Every request of a batch is answered before a refusal is reported, so the server
            // never stops with requests in flight.
            let answers = await withTaskGroup(of: Result<Int64, any Error>.self) { posts in
                for submission in batch {
                    posts.addTask {
                        do {
                            return .success(try await post(submission, to: endpoint, token: tokens[submission.officeRegion]!, session: session))
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                return await posts.reduce(into: []) { $0.append($1) }
            }
            jobs += try answers.map { try $0.get() }
        }
        return jobs
    }

    /// One submission; the id of the job that applies it, once the server accepted it (new or re-sent).
    private static func post(_ submission: DemoSubmission, to endpoint: URL, token: String, session: URLSession) async throws -> Int64 {
        var request = URLRequest(url: endpoint)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let body: [String: Any] = [
            "submission_id": submission.id, "task": submission.task, "period": "\(submission.period)",
            "progress": submission.progress, "status": submission.status.rawValue, "summary": submission.summary,
        ]
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        let (data, response) = try await session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 202, let answer = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let job = (answer["job_id"] as? NSNumber)?.int64Value
        else {
            throw Refused(description: "POST /v1/progress for task \(submission.task) (\(submission.period)) was refused with \(status): "
                + String(decoding: data, as: UTF8.self))
        }
        return job
    }
}
