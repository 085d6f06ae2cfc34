// PostgreSQL-specific queries of claim.ts: the claim with FOR UPDATE SKIP LOCKED, so workers on
// many machines never wait for each other nor take the same job, and the attempt rows inserted
// from arrays (unnest).
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";
import type { ClaimOptions } from "./claim.ts";
import type { ClaimedRow } from "./claim.sqlite.ts";

export type { ClaimedRow };

/** As claim.sqlite.ts's claimDueJobs: marks up to `limit` due jobs running under `owner` and returns them. */
export async function claimDueJobs(
  trx: Db,
  o: Pick<ClaimOptions, "owner" | "limit" | "types" | "ids"> & { now: string; expires: string },
): Promise<ClaimedRow[]> {
  const typeFilter = o.types && o.types.length > 0 ? sql`and type = any(${[...o.types]}::text[])` : sql``;
  const idFilter = o.ids ? sql`and id = any(${[...o.ids]}::bigint[])` : sql``;
  const claimed = await sql<ClaimedRow>`
    update job
    set state = 'running', lease_owner = ${o.owner}, lease_token = lease_token + 1, lease_expires_at = ${o.expires}::timestamptz,
        attempts = attempts + 1, started_at = coalesce(started_at, ${o.now}::timestamptz), updated_at = ${o.now}::timestamptz
    where id in (
      select id from job
      where state = 'pending' and blocked = 0 and run_at <= ${o.now}::timestamptz ${typeFilter} ${idFilter}
      order by priority desc, run_at, id
      limit ${o.limit}
      for update skip locked)
    returning id, type, payload, attempts, max_attempts, lease_token, priority, schedule_id, batch_id, timeout_ms, created_at, started_at`.execute(
    trx,
  );
  return claimed.rows;
}

/** Opens one attempt row per `[job_id, attempt, token]`, worked by `owner` from `now`; returns their ids. */
export async function insertAttempts(
  trx: Db,
  attemptRows: readonly (readonly [number, number, number])[],
  owner: string,
  now: string,
): Promise<{ id: number; job_id: number }[]> {
  const attempts = await sql<{ id: number; job_id: number }>`
    insert into job_attempt (job_id, attempt, token, worker, started_at)
    select v.job_id, v.attempt, v.token, ${owner}, ${now}::timestamptz
    from unnest(${attemptRows.map((r) => r[0])}::bigint[], ${attemptRows.map((r) => r[1])}::int[], ${attemptRows.map((r) => r[2])}::bigint[])
      as v (job_id, attempt, token)
    returning id, job_id`.execute(trx);
  return attempts.rows;
}
