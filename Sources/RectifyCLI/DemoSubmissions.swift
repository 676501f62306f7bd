import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import RectifyAPI
import RectifyPostgres
import RectifyProgress
import ServiceLifecycle

/// One month's progress report of one office on one task, as the demo submits it.
struct DemoSubmission: Sendable, Hashable {
    var office: Int64
    var task: String
    var period: String
    var progress: Int
    var status: String
    var summary: String

    /// The idempotency key: the same report on the next demo run is the same submission.
    var submissionID: String { "demo-\(period)-\(task)" }
}

/// Delivers the demo's submissions the way the offices do: `POST /v1/progress` with each
/// office's bearer token, to a server started for the purpose on a loopback port.
enum DemoSubmissions {
    struct Refused: Error, CustomStringConvertible {
        var description: String
    }

    /// Gives each office a fresh token, starts the API on 127.0.0.1 (a free port), posts every
    /// submission (a few at a time), and stops the server.
    ///
    /// - Returns: how many were accepted now and how many had been accepted on an earlier run.
    static func deliver(
        _ submissions: [DemoSubmission], pool: PostgresPool, settings: APIServer.Settings, logger: Logger
    ) async throws -> (accepted: Int, repeated: Int) {
        let earlier = Set(try await pool.query("""
            SELECT submission_id FROM rectify_progress_submissions WHERE submission_id = ANY(\(submissions.map(\.submissionID))::text[])
            """).map { try $0.decode(String.self, at: 0) })
        let registry = OfficeRegistry(pool: pool)
        var tokens: [Int64: String] = [:]
        for office in Set(submissions.map(\.office)).sorted() { tokens[office] = try await registry.rotateToken(id: office) }
        var server = settings
        server.host = "127.0.0.1"
        server.port = 0
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let application = APIServer.application(pool: pool, settings: server, logger: logger) { port in portSink.yield(port) }
        let group = ServiceGroup(configuration: .init(services: [.init(service: application)], logger: logger))
        return try await withThrowingTaskGroup(of: (Int, Int)?.self) { tasks -> (accepted: Int, repeated: Int) in
            tasks.addTask {
                try await group.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw Refused(description: "the demo's API server did not start") }
            let endpoint = URL(string: "http://127.0.0.1:\(port)/v1/progress")!
            let answered: Int
            do {
                answered = try await post(submissions, to: endpoint, tokens: tokens)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return (answered - earlier.count, earlier.count)
        }
    }

    /// Posts every submission, eight at a time; stops at the first refusal.
    private static func post(_ submissions: [DemoSubmission], to endpoint: URL, tokens: [Int64: String]) async throws -> Int {
        let session = URLSession(configuration: .ephemeral)
        var accepted = 0
        for start in stride(from: 0, to: submissions.count, by: 8) {
            let batch = submissions[start..<min(start + 8, submissions.count)]
            try await withThrowingTaskGroup(of: Bool.self) { posts in
                for submission in batch {
                    posts.addTask { try await post(submission, to: endpoint, token: tokens[submission.office]!, session: session) }
                }
                for try await answered in posts where answered { accepted += 1 }
            }
        }
        return accepted
    }

    /// One submission; true once the server accepted it (new or re-sent).
    private static func post(_ submission: DemoSubmission, to endpoint: URL, token: String, session: URLSession) async throws -> Bool {
        var request = URLRequest(url: endpoint)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let body: [String: Any] = [
            "submission_id": submission.submissionID, "task": submission.task, "period": submission.period,
            "progress": submission.progress, "status": submission.status, "summary": submission.summary,
        ]
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        let (data, response) = try await session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 202 else {
            throw Refused(description: "POST /v1/progress for task \(submission.task) (\(submission.period)) was refused with \(status): "
                + String(decoding: data, as: UTF8.self))
        }
        return true
    }
}
