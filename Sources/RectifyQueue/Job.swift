public import Foundation
import RectifyPostgres

/// A job as stored, live or finished.
public struct Job: Sendable, Hashable, Codable {
    /// The job's id, from the live table's sequence; it keeps it when it finishes.
    public var id: Int64
    /// The handler kind.
    public var kind: String
    /// The queue it is claimed from.
    public var queue: String
    /// The arguments as JSON text.
    public var argsJSON: String
    /// Lower runs first.
    public var priority: Int16
    /// Where the job is in its life.
    public var state: JobState
    /// Attempts started so far (a rescued run counts).
    public var attempt: Int32
    /// Attempts allowed before the job is discarded.
    public var maxAttempts: Int32
    /// When it became (or becomes) due.
    public var runAt: Date
    /// At most one live job holds a key; `nil` for none.
    public var uniqueKey: String?
    /// One entry per failed attempt, oldest first.
    public var errors: [JobErrorRecord]
    /// When it was enqueued.
    public var createdAt: Date
    /// When its latest attempt started.
    public var attemptedAt: Date?
    /// The worker that ran the latest attempt.
    public var attemptedBy: String?
    /// When a finished job finished; `nil` while live.
    public var finishedAt: Date?

    /// The columns ``init(row:)`` reads, in order, common to both job tables.
    static let columns = """
        id, kind, queue, args::text, priority, state, attempt, max_attempts, run_at, unique_key, errors::text,
        created_at, attempted_at, attempted_by
        """

    /// Decodes a row selected with ``columns`` followed by `finished_at`.
    init(row: PostgresRow) throws {
        let errorsJSON: String
        (id, kind, queue, argsJSON, priority) = try row.decode((Int64, String, String, String, Int16).self)
        state = JobState(rawValue: try row.decode(String.self, at: 5)) ?? .discarded
        attempt = try row.decode(Int32.self, at: 6)
        maxAttempts = try row.decode(Int32.self, at: 7)
        runAt = try row.decode(Date.self, at: 8)
        uniqueKey = try row.decode(String?.self, at: 9)
        errorsJSON = try row.decode(String.self, at: 10)
        createdAt = try row.decode(Date.self, at: 11)
        attemptedAt = try row.decode(Date?.self, at: 12)
        attemptedBy = try row.decode(String?.self, at: 13)
        finishedAt = try row.decode(Date?.self, at: 14)
        errors = (try? JSONDecoder.rectify.decode([JobErrorRecord].self, from: Data(errorsJSON.utf8))) ?? []
    }
}

/// Why one attempt of a job failed.
public struct JobErrorRecord: Sendable, Hashable, Codable {
    /// The attempt that failed.
    public var attempt: Int32
    /// When it failed.
    public var at: Date
    /// What went wrong, for the operator.
    public var error: String
    /// The worker that ran it, if known.
    public var worker: String?

    /// Creates a record.
    public init(attempt: Int32, at: Date, error: String, worker: String?) {
        self.attempt = attempt
        self.at = at
        self.error = error
        self.worker = worker
    }

    /// The record as a one-element JSON array, ready to append to a job's `errors`.
    var appendableJSON: PostgresRawJSON {
        let data = (try? JSONEncoder.rectify.encode([self])) ?? Data("[]".utf8)
        return PostgresRawJSON(String(decoding: data, as: UTF8.self))
    }
}

/// A job a worker has claimed, with the lease that fences its later updates.
public struct ClaimedJob: Sendable, Hashable {
    /// The job's id.
    public var id: Int64
    /// The handler kind.
    public var kind: String
    /// The queue it was claimed from.
    public var queue: String
    /// The arguments as JSON text.
    public var argsJSON: String
    /// Lower runs first.
    public var priority: Int16
    /// This attempt's number; with ``id`` it is the fencing token of the lease.
    public var attempt: Int32
    /// Attempts allowed before the job is discarded.
    public var maxAttempts: Int32
    /// When the job became due (its `run_at`), for queue-wait metrics.
    public var dueAt: Date
    /// When it was enqueued.
    public var createdAt: Date
    /// The job's own limit on one attempt's run time, if it has one.
    public var timeout: Duration? = nil

    /// The lease this claim holds.
    public var lease: JobLease { JobLease(id: id, attempt: attempt) }
}

/// The right to finish one attempt of a job: valid only while the job is still `running` at
/// that attempt. A worker whose lease was taken over (rescued and claimed again) holds a stale
/// lease, and every update it tries matches no row.
public struct JobLease: Sendable, Hashable {
    /// The job's id.
    public var id: Int64
    /// The attempt the lease belongs to.
    public var attempt: Int32

    /// Creates a lease for a job id and attempt.
    public init(id: Int64, attempt: Int32) {
        self.id = id
        self.attempt = attempt
    }
}

extension JSONDecoder {
    /// Dates as ISO 8601 with fractional seconds, matching PostgreSQL's `jsonb` timestamps.
    static let rectify: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            if let date = formatter.date(from: text) { return date }
            formatter.formatOptions = [.withInternetDateTime]
            if let date = formatter.date(from: text) { return date }
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date: \(text)"))
        }
        return decoder
    }()
}

extension JSONEncoder {
    /// Dates as ISO 8601, keys sorted.
    static let rectify: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()
}
