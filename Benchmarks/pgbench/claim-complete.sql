-- rectify's claim and completion, as the worker sends them (JobQueueSQL.claim, .finish), for
-- pgbench beside peerbench's limit script: claim :k jobs of queue 'q', then, with -D move=1,
-- move them to rectify_finished_jobs as completed, or, with -D move=0, delete them as the
-- limit's script does (what keeping finished jobs costs). Two transactions per batch, like the
-- limit's.
WITH claimed AS (
  UPDATE rectify_jobs AS j
  SET state = 'running', attempt = j.attempt + 1, attempted_at = now(), attempted_by = 'pgbench',
      lease_expires_at = now() + 30000 * interval '1 millisecond'
  WHERE j.id = ANY(ARRAY(
      SELECT id FROM rectify_jobs
      WHERE state = 'available' AND queue = 'q' AND kind = ANY('{noop}'::text[])
        AND NOT EXISTS (SELECT FROM rectify_paused_queues WHERE queue = 'q')
      ORDER BY priority, run_at, id
      LIMIT :k
      FOR UPDATE SKIP LOCKED))
  RETURNING j.id, j.kind, j.queue, j.args::text, j.priority, j.attempt, j.max_attempts, j.run_at, j.created_at, j.timeout_ms)
SELECT coalesce(array_agg(id), '{}') AS ids, coalesce(array_agg(attempt), '{}') AS attempts FROM claimed \gset
\if :move
WITH finished AS (
  DELETE FROM rectify_jobs AS j
  USING unnest(:ids::int8[], :attempts::int4[]) AS l(id, attempt)
  WHERE j.id = l.id AND j.attempt = l.attempt AND j.state = 'running'
  RETURNING j.*)
INSERT INTO rectify_finished_jobs (id, kind, queue, args, priority, attempt, max_attempts, run_at, unique_key, created_at,
                                   attempted_at, attempted_by, state, errors, finished_at)
SELECT id, kind, queue, args, priority, attempt, max_attempts, run_at, unique_key, created_at,
       attempted_at, attempted_by, 'completed', errors || coalesce(NULL::jsonb, '[]'), clock_timestamp()
FROM finished
RETURNING id;
\else
DELETE FROM rectify_jobs WHERE id = ANY (:ids::int8[]);
\endif
