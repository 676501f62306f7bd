-- rectify's claim followed by a plain delete, as peerbench's limit completes: beside
-- claim-finish.sql it shows what keeping finished jobs costs.
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
DELETE FROM rectify_jobs WHERE id = ANY (:ids::int8[]);
