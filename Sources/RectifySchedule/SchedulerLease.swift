import RectifyPostgres
import RectifyQueue

/// A lease row that makes one process the scheduling leader. The holder renews it well before
/// it expires; when the holder dies, the lease runs out and the next process to ask takes it.
///
/// Leadership only decides who fires the periodic entries. Exactly-once comes from the primary
/// keys of `rectify_periodic_fires` and `rectify_scheduled_runs`, so two leaders at once (a paused
/// holder waking up after its lease was taken) still fire a due time, and schedule a period, once.
struct SchedulerLease {
    let name = "monthly"
    let holder: String
    let duration: Duration

    /// Takes the lease if it is free or expired, or renews it if held; true while `holder` leads.
    func acquire(_ pool: PostgresPool) async throws -> Bool {
        try await pool.query("""
            INSERT INTO rectify_scheduler_lease AS l (name, holder, expires_at)
            VALUES (\(name), \(holder), now() + \(duration.milliseconds) * interval '1 millisecond')
            ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
            WHERE l.holder = EXCLUDED.holder OR l.expires_at < now()
            RETURNING holder
            """).rowCount == 1
    }

    /// Gives the lease up, so another process can lead at once rather than after it expires.
    func release(_ pool: PostgresPool) async throws {
        try await pool.query("DELETE FROM rectify_scheduler_lease WHERE name = \(name) AND holder = \(holder)")
    }
}
