import Foundation
public import RectifyLedger
public import RectifyPostgres
import RectifyQueue

/// Which jobs an office may look at: those its own submissions caused. Ops offices see all.
public enum SubmissionJobs {
    /// Whether `office` may see job `id`.
    public static func visible(_ id: Int64, to office: Office, pool: PostgresPool) async throws -> Bool {
        if office.isOps { return true }
        return try await pool.query("""
            SELECT EXISTS (SELECT FROM rectify_ledger_submissions WHERE job_id = \(id) AND office = \(office.id))
            """)[0].decode(Bool.self, at: 0)
    }
}

extension SubmissionJobs {
    /// What each progress job is about, in words for people: the office and the task's title
    /// for a submission, the task's title for a public notice. Other jobs are left out.
    public static func subjects(of jobs: [Int64], pool: PostgresPool) async throws -> [Int64: String] {
        guard !jobs.isEmpty else { return [:] }
        return try await pool.transaction { connection in
            var subjects: [Int64: String] = [:]
            for row in try await connection.query("""
                SELECT s.job_id, o.name || ' on “' || t.title || '” (' || s.period || ', ' || s.progress || '%, ' || s.status || ')'
                FROM rectify_ledger_submissions s
                JOIN rectify_ledger_offices o ON o.id = s.office JOIN rectify_ledger_tasks t ON t.id = s.task
                WHERE s.job_id = ANY(\(jobs)::int8[])
                """)
            {
                let (id, text) = try row.decode((Int64, String).self)
                subjects[id] = text
            }
            // Close-out jobs name their task in their arguments, which the queue holds.
            let args = try await JobQueue.args(of: jobs.filter { subjects[$0] == nil }, on: connection)
            let tasks = args.compactMapValues { json in
                (try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["task"] as? String
            }
            guard !tasks.isEmpty else { return subjects }
            var titles: [String: String] = [:]
            for row in try await connection.query("SELECT id, title FROM rectify_ledger_tasks WHERE id = ANY(\(Array(Set(tasks.values)))::text[])") {
                let (id, title) = try row.decode((String, String).self)
                titles[id] = title
            }
            for (job, task) in tasks {
                if let title = titles[task] { subjects[job] = "closing “\(title)” after its public notice" }
            }
            return subjects
        }
    }
}
