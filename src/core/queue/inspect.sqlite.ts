// SQLite-specific queries of inspect.ts: scans pinned to the pending-only partial indexes
// (`indexed by`), a boolean sum, and an id list read from one JSON array (json_each).
import { sql } from "kysely";
import type { JobState } from "./schema.ts";
import type { Db } from "../db/handle.ts";

/** Of the pending unblocked jobs: how many are due by `now`, the earliest due run_at and the next later one. */
export async function pendingSummary(
  db: Db,
  now: string,
): Promise<{ due: number | null; oldest: string | null; next: string | null } | undefined> {
  // One covering scan of the pending-only claim index answers all three questions.
  const pending = await sql<{ due: number | null; oldest: string | null; next: string | null }>`
    select sum(run_at <= ${now}) as due,
           min(case when run_at <= ${now} then run_at end) as oldest,
           min(case when run_at > ${now} then run_at end) as next
    from job indexed by job_claim where state = 'pending' and blocked = 0`.execute(db);
  return pending.rows[0];
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
