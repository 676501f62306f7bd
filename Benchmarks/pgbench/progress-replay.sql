-- POST /v1/progress as rectify serve sends it to PostgreSQL (captured with
-- log_min_duration_statement = 0): the task's state with any earlier submission under the id,
-- then the submission and its apply_progress job in one transaction, then the wake of the
-- workers. pgbench -M prepared -D office=ID -D region=CODE -D task=TASK -f this file (prepared, as rectify sends
-- its statements).
\set n random(1, 1000000000000)
SELECT s.office IS NOT NULL, s.job_id, t.*
FROM (SELECT) AS one
LEFT JOIN rectify_progress_submissions s ON s.office = :office AND s.submission_id = 'pgb-' || :client_id || '-' || :n
LEFT JOIN LATERAL (SELECT t.id, t.status, t.progress,
       CASE WHEN t.status IN ('accepted', 'closed') THEN t.progress
            ELSE coalesce((SELECT h.new_progress FROM rectify_task_history h
                           WHERE h.task = t.id AND h.source = 'acceptance' ORDER BY h.id DESC LIMIT 1), 0) END
           AS accepted_progress,
       (EXISTS (SELECT FROM rectify_unit_scope s WHERE s.unit = t.lead_unit AND s.region = :region::text)
        OR (t.lead_unit = NULL::text) IS TRUE) AS in_scope,
       t.deadline::text,
       (SELECT r.feedback_on::text FROM rectify_rounds r WHERE r.id = t.round) AS feedback_on
FROM rectify_tasks t
WHERE t.id = :task::text
) AS t ON true;
BEGIN;
WITH inserted AS (
    INSERT INTO rectify_jobs (kind, queue, args, priority, state, max_attempts, run_at, unique_key, timeout_ms)
    VALUES ('apply_progress', 'default', ('{"office":' || :office || ',"period":"2026-10","submission":"pgb-' || :client_id || '-' || :n || '"}')::jsonb, 0,
            CASE WHEN NULL::timestamptz > now() THEN 'scheduled' ELSE 'available' END,
            20, coalesce(NULL::timestamptz, now()), NULL, NULL)
    ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL DO NOTHING
    RETURNING id, queue, state, unique_key
), notified AS (
    SELECT count(pg_notify('rectify_jobs', queue)) AS queues
    FROM inserted WHERE state = 'available' AND false
)
SELECT id, unique_key, state FROM inserted CROSS JOIN notified;
INSERT INTO rectify_progress_submissions
    (submission_id, office, submitted_by, task, period, progress, status, summary, evidence, job_id)
VALUES ('pgb-' || :client_id || '-' || :n, :office, NULL, :task::text, '2026-10', 60, 'in_progress', 'wrk', '[]',
        rectify_enqueued_job_id());
COMMIT;
SELECT set_config('synchronous_commit', 'off', true), pg_notify('rectify_jobs', job.queue)
FROM (SELECT queue, state FROM rectify_jobs WHERE id = (SELECT currval('rectify_jobs_id_seq')) OFFSET 0) AS job
WHERE job.state = 'available';
