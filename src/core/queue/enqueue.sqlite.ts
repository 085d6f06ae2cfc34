// SQLite-specific inserts of enqueue.ts: a chunk of jobs read from one JSON array parameter
// (json_each, `->>`); their ids come from SQLite's rowid order (insertedIds).
import { sql, type QueryResult } from "kysely";
import type { Db } from "../db/handle.ts";

/** The columns shared by jobs that differ only in payload. */
export interface SharedColumns {
  type: string;
  priority: number;
  /** An instant. */
  runAt: string;
  maxAttempts: number;
  scheduleId: number | null;
  batchId: number | null;
}

/** Inserts one job per payload (each a JSON value), all with the columns of `j`; returns their ids in order. */
export async function insertPayloadArray(trx: Db, j: SharedColumns, payloads: readonly unknown[], stamp: string): Promise<number[]> {
  const result = await sql`
    insert into job (type, payload, priority, run_at, max_attempts, schedule_id, batch_id, created_at, updated_at)
    select ${j.type}, v.value, ${j.priority}, ${j.runAt}, ${j.maxAttempts}, ${j.scheduleId}, ${j.batchId}, ${stamp}, ${stamp}
    from json_each(${JSON.stringify(payloads)}) as v`.execute(trx);
  return insertedIds(result, payloads.length);
}

/**
 * Inserts one job per row: [type, payload (JSON text), priority, run_at, max_attempts, dedupe_key,
 * schedule_id, batch_id, depends_on, blocked, timeout_ms]; returns their ids in order.
 */
export async function insertRowArray(trx: Db, rows: readonly (readonly unknown[])[], stamp: string): Promise<number[]> {
  const result = await sql`
    insert into job (type, payload, priority, run_at, max_attempts, dedupe_key, schedule_id, batch_id, depends_on, blocked, timeout_ms, created_at, updated_at)
    select v.value ->> 0, v.value ->> 1, v.value ->> 2, v.value ->> 3, v.value ->> 4, v.value ->> 5, v.value ->> 6, v.value ->> 7,
      v.value ->> 8, v.value ->> 9, v.value ->> 10, ${stamp}, ${stamp}
    from json_each(${JSON.stringify(rows)}) as v`.execute(trx);
  return insertedIds(result, rows.length);
}

/**
 * Under our write lock SQLite gives each inserted row the largest rowid so far plus one
 * (`job` has no AUTOINCREMENT), so one multi-row insert gets the ids last-n+1 .. last, in
 * array order. Cheaper than RETURNING, which costs a third of the insert.
 */
function insertedIds(result: QueryResult<unknown>, n: number): number[] {
  const last = Number(result.insertId);
  if (Number(result.numAffectedRows) !== n || !Number.isSafeInteger(last)) {
    throw new Error(`insert of ${n} jobs affected ${String(result.numAffectedRows)} rows`);
  }
  return Array.from({ length: n }, (_, k) => last - n + 1 + k);
}

/** Wakes idle workers: nothing to do on SQLite (its workers poll). */
export async function announceJobs(_trx: Db): Promise<void> {}
