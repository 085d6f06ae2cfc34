// SQLite-specific queries of claim.ts: the claim through the job_claim index (`indexed by`) and
// the attempt rows inserted from one JSON array (json_each, `->>`).
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";
import type { ClaimOptions } from "./claim.ts";

/** A job row as the claim returns it. */
export interface ClaimedRow {
  id: number;
  type: string;
  payload: string;
  attempts: number;
  max_attempts: number;
  lease_token: number;
  priority: number;
  schedule_id: number | null;
  batch_id: number | null;
  timeout_ms: number | null;
  created_at: string;
  started_at: string;
}

/** A claimed job with the attempt opened for it and how many earlier attempts snoozed. */
export interface ClaimedWithAttempt extends ClaimedRow {
  attempt_id: number;
  snoozes: number;
}

/**
 * Claims up to `limit` due jobs (claimDueJobs), opens an attempt for each, and counts their
 * earlier snoozes.
 */
export async function claimWithAttempts(
  trx: Db,
  o: Pick<ClaimOptions, "owner" | "limit" | "types" | "ids"> & { now: string; expires: string },
): Promise<ClaimedWithAttempt[]> {
  const claimed = await claimDueJobs(trx, o);
  if (claimed.length === 0) return [];
  const attempts = await insertAttempts(
    trx,
    claimed.map((j) => [j.id, j.attempts, j.lease_token] as const),
    o.owner,
    o.now,
  );
  const attemptOf = new Map(attempts.map((a) => [a.job_id, a.id]));
  const snoozed = await sql<{ job_id: number; n: number }>`
    select job_id, count(*) as n from job_attempt
    where outcome = 'snoozed' and job_id in (select value from json_each(${JSON.stringify(claimed.map((j) => j.id))}))
    group by job_id`.execute(trx);
  const snoozesOf = new Map(snoozed.rows.map((r) => [r.job_id, r.n]));
  return claimed.map((j) => ({ ...j, attempt_id: attemptOf.get(j.id) as number, snoozes: snoozesOf.get(j.id) ?? 0 }));
}

/**
 * Marks up to `limit` due jobs (pending, unblocked, run_at <= now, of `types` and `ids` when
 * given) running under `owner` until `expires`, highest priority first, and returns them.
 */
async function claimDueJobs(
  trx: Db,
  o: Pick<ClaimOptions, "owner" | "limit" | "types" | "ids"> & { now: string; expires: string },
): Promise<ClaimedRow[]> {
  const typeFilter = o.types && o.types.length > 0 ? sql`and type in (${sql.join(o.types)})` : sql``;
  const idFilter = o.ids ? sql`and id in (${sql.join(o.ids.length > 0 ? o.ids : [-1])})` : sql``;
  const claimed = await sql<ClaimedRow>`
    update job
    set state = 'running', lease_owner = ${o.owner}, lease_token = lease_token + 1, lease_expires_at = ${o.expires},
        attempts = attempts + 1, started_at = coalesce(started_at, ${o.now}), updated_at = ${o.now}
    where id in (
      select id from job indexed by job_claim -- the planner would otherwise sort every pending job
      where state = 'pending' and blocked = 0 and run_at <= ${o.now} ${typeFilter} ${idFilter}
      order by priority desc, run_at, id
      limit ${o.limit})
    returning id, type, payload, attempts, max_attempts, lease_token, priority, schedule_id, batch_id, timeout_ms, created_at, started_at`.execute(
    trx,
  );
  return claimed.rows;
}

/** Opens one attempt row per `[job_id, attempt, token]`, worked by `owner` from `now`; returns their ids. */
async function insertAttempts(
  trx: Db,
  attemptRows: readonly (readonly [number, number, number])[],
  owner: string,
  now: string,
): Promise<{ id: number; job_id: number }[]> {
  const attempts = await sql<{ id: number; job_id: number }>`
    insert into job_attempt (job_id, attempt, token, worker, started_at)
    select v.value ->> 0, v.value ->> 1, v.value ->> 2, ${owner}, ${now}
    from json_each(${JSON.stringify(attemptRows)}) as v
    returning id, job_id`.execute(trx);
  return attempts.rows;
}
