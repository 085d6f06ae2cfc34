// PostgreSQL-specific inserts of enqueue.ts: a chunk of jobs read from one JSON array parameter
// (jsonb_array_elements in array order), ids from RETURNING; NOTIFY wakes idle workers.
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";
import type { SharedColumns } from "./enqueue.sqlite.ts";

/** The channel `process --wait` listens on; notified in the enqueueing transaction (delivered at commit). */
export const JOBS_CHANNEL = "leadjobs_jobs";

/** Inserts one job per payload (each a JSON value), all with the columns of `j`; returns their ids in order. */
export async function insertPayloadArray(trx: Db, j: SharedColumns, payloads: readonly unknown[], stamp: string): Promise<number[]> {
  const result = await sql<{ id: number }>`
    insert into job (type, payload, priority, run_at, max_attempts, schedule_id, batch_id, created_at, updated_at)
    select ${j.type}, v.value, ${j.priority}, ${j.runAt}::timestamptz, ${j.maxAttempts}, ${j.scheduleId}::bigint, ${j.batchId}::bigint,
      ${stamp}::timestamptz, ${stamp}::timestamptz
    from jsonb_array_elements(${JSON.stringify(payloads)}::jsonb) with ordinality as v (value, n)
    order by v.n
    returning id`.execute(trx);
  return idsInOrder(result.rows, payloads.length);
}

/** As enqueue.sqlite.ts's insertRowArray. */
export async function insertRowArray(trx: Db, rows: readonly (readonly unknown[])[], stamp: string): Promise<number[]> {
  const result = await sql<{ id: number }>`
    insert into job (type, payload, priority, run_at, max_attempts, dedupe_key, schedule_id, batch_id, depends_on, blocked, timeout_ms, created_at, updated_at)
    select v.value ->> 0, (v.value ->> 1)::jsonb, (v.value ->> 2)::int, (v.value ->> 3)::timestamptz, (v.value ->> 4)::int, v.value ->> 5,
      (v.value ->> 6)::bigint, (v.value ->> 7)::bigint, (v.value ->> 8)::bigint, (v.value ->> 9)::smallint, (v.value ->> 10)::bigint,
      ${stamp}::timestamptz, ${stamp}::timestamptz
    from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) with ordinality as v (value, n)
    order by v.n
    returning id`.execute(trx);
  return idsInOrder(result.rows, rows.length);
}

/**
 * One INSERT … SELECT … ORDER BY takes identity values in the select's order, so sorted ids are
 * the rows in array order (another session's concurrent inserts may take values in between).
 */
function idsInOrder(rows: { id: number }[], n: number): number[] {
  if (rows.length !== n) throw new Error(`insert of ${n} jobs returned ${rows.length} rows`);
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/** Wakes idle workers (`process --wait` listens): delivered when the transaction commits. */
export async function announceJobs(trx: Db): Promise<void> {
  await sql`select pg_notify(${JOBS_CHANNEL}, '')`.execute(trx);
}
