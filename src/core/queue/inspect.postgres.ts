// PostgreSQL-specific queries of inspect.ts (its planner needs no index hints; filtered counts
// instead of boolean sums; an id list as an array).
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";
import type { PendingSummary, QueueStatusRows } from "./queue-status.ts";
import type { JobOutcomeRow } from "./inspect.sqlite.ts";

/** As inspect.sqlite.ts's stateTypeCounts. */
export function stateTypeCounts(db: Db): Promise<QueueStatusRows["grouped"]> {
  return db
    .selectFrom("job")
    .select(["type", "state", sql<number>`count(*)`.as("n")])
    .groupBy(["state", "type"])
    .execute();
}

/** As inspect.sqlite.ts's pendingSummary (one scan: the planner reads the pending jobs' rows). */
export async function pendingSummary(db: Db, now: string): Promise<PendingSummary | undefined> {
  const pending = await sql<PendingSummary>`
    select count(*) filter (where run_at > ${now}::timestamptz) as scheduled,
           min(run_at) filter (where run_at <= ${now}::timestamptz) as oldest,
           min(run_at) filter (where run_at > ${now}::timestamptz) as next
    from job where state = 'pending' and blocked = 0`.execute(db);
  return pending.rows[0];
}

/** As inspect.sqlite.ts's pendingJobAt. */
export function pendingJobAt(db: Db, runAt: string): Promise<{ id: number; type: string; run_at: string } | undefined> {
  return sql<{ id: number; type: string; run_at: string }>`
    select id, type, run_at from job where state = 'pending' and blocked = 0 and run_at = ${runAt}::timestamptz limit 1`
    .execute(db)
    .then((r) => r.rows[0]);
}

/** As inspect.sqlite.ts's waitingCount. */
export function waitingCount(db: Db): Promise<{ n: number }> {
  return sql<{ n: number }>`
    select count(*) as n from job where depends_on is not null and state = 'pending' and blocked = 1`
    .execute(db)
    .then((r) => r.rows[0] ?? { n: 0 });
}

/** As inspect.sqlite.ts's newestDeadJobs. */
export function newestDeadJobs(db: Db, limit: number): Promise<QueueStatusRows["dead"]> {
  return sql<QueueStatusRows["dead"][number]>`
    select id, type, finished_at, attempts, last_error from job where state = 'dead' order by finished_at desc, id desc limit ${limit}`
    .execute(db)
    .then((r) => r.rows);
}

/** As inspect.sqlite.ts's jobOutcomeRows. */
export async function jobOutcomeRows(db: Db, ids: readonly number[], durations: boolean): Promise<JobOutcomeRow[]> {
  const duration = durations ? sql`(select sum(duration_ms) from job_attempt a where a.job_id = job.id)` : sql`null::bigint`;
  const rows = await sql<JobOutcomeRow>`
    select id, state, attempts, last_error, finished_at, ${duration} as duration_ms
    from job where id = any(${[...new Set(ids)]}::bigint[])`.execute(db);
  return rows.rows;
}
