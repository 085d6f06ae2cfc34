// SQLite-specific queries of inspect.ts: scans pinned to the pending-only and dead-only partial indexes
// (`indexed by`), counts by state and type from seeks, a boolean sum, and an id list read from one JSON array (json_each).
import { CompiledQuery, sql } from "kysely";
import type { JobState } from "./schema.ts";
import type { Db } from "../db/handle.ts";
import { PENDING_BY_PRIORITY, PENDING_SCAN, walkedEveryPriority } from "./pending-summary.sqlite.ts";
import type { PendingSummary, QueueStatusRows } from "./queue-status.ts";
import { STATE_TYPE_COUNTS } from "./state-counts.sqlite.ts";

/** How many jobs each type has in each state (state-counts.sqlite.ts). */
export async function stateTypeCounts(db: Db): Promise<QueueStatusRows["grouped"]> {
  return (await db.executeQuery(CompiledQuery.raw(STATE_TYPE_COUNTS, []))).rows as QueueStatusRows["grouped"];
}

/** The pending summary (pending-summary.sqlite.ts): by priority, or by one scan when there are many priorities. */
export async function pendingSummary(db: Db, now: string): Promise<PendingSummary | undefined> {
  const params = [now, now, now];
  const byLevel = await db.executeQuery(CompiledQuery.raw(PENDING_BY_PRIORITY, params));
  const row = byLevel.rows[0] as (PendingSummary & { levels: number | null }) | undefined;
  if (walkedEveryPriority(row)) return row;
  return (await db.executeQuery(CompiledQuery.raw(PENDING_SCAN, params))).rows[0] as PendingSummary | undefined;
}

/** A pending unblocked job due at exactly `runAt`. */
export function pendingJobAt(db: Db, runAt: string): Promise<{ id: number; type: string; run_at: string } | undefined> {
  return sql<{ id: number; type: string; run_at: string }>`
    select id, type, run_at from job indexed by job_claim where state = 'pending' and blocked = 0 and run_at = ${runAt} limit 1`
    .execute(db)
    .then((r) => r.rows[0]);
}

/** How many pending jobs wait for the job they depend on. */
export function waitingCount(db: Db): Promise<{ n: number }> {
  return sql<{ n: number }>`
    select count(*) as n from job indexed by job_depends_on where depends_on is not null and state = 'pending' and blocked = 1`
    .execute(db)
    .then((r) => r.rows[0] ?? { n: 0 });
}

/** The newest dead jobs, from the dead-only index (a literal state, so the partial index applies). */
export function newestDeadJobs(db: Db, limit: number): Promise<QueueStatusRows["dead"]> {
  return sql<QueueStatusRows["dead"][number]>`
    select id, type, finished_at, attempts, last_error from job indexed by job_dead where state = 'dead' order by finished_at desc, id desc limit ${limit}`
    .execute(db)
    .then((r) => r.rows);
}

export interface JobOutcomeRow {
  id: number;
  state: JobState;
  attempts: number;
  last_error: string | null;
  finished_at: string | null;
  duration_ms: number | null;
}

/** The jobs with these ids (distinct), with their summed attempt durations when `durations`. */
export async function jobOutcomeRows(db: Db, ids: readonly number[], durations: boolean): Promise<JobOutcomeRow[]> {
  const duration = durations ? sql`(select sum(duration_ms) from job_attempt a where a.job_id = job.id)` : sql`null`;
  const rows = await sql<JobOutcomeRow>`
    select id, state, attempts, last_error, finished_at, ${duration} as duration_ms
    from job where id in (select value from json_each(${JSON.stringify([...new Set(ids)])}))`.execute(db);
  return rows.rows;
}
