import { sql } from "kysely";
import { immediate, type Db } from "../db/sqlite.ts";
import { fromInstant, toInstant } from "../time.ts";

/** A job this worker holds a lease on. */
export interface ClaimedJob {
  id: number;
  type: string;
  payload: string;
  /** 1-based number of this attempt. */
  attempt: number;
  maxAttempts: number;
  /** Fencing token of this claim. */
  token: number;
  attemptId: number;
  priority: number;
  scheduleId: number | null;
  batchId: number | null;
  /** This job's own run timeout, if it has one (the type's applies otherwise). */
  timeoutMs: number | null;
  claimedAt: number;
  /** When the job was enqueued (its created_at). */
  createdAt: number;
  /** When its first attempt started. */
  firstStartedAt: number;
  /** Earlier attempts that snoozed (gave their attempt back). */
  snoozes: number;
}

export interface ClaimOptions {
  owner: string;
  limit: number;
  now: number;
  leaseMs: number;
  /** Only these types (all when empty or undefined). */
  types?: readonly string[] | undefined;
  /** Only these jobs (a direct command claiming the job it just enqueued). */
  ids?: readonly number[] | undefined;
}

/**
 * Claims up to `limit` due jobs in one IMMEDIATE transaction: highest priority first, then
 * earliest run_at. Each claim bumps the job's fencing token and opens an attempt row.
 */
export async function claimJobs(db: Db, o: ClaimOptions): Promise<ClaimedJob[]> {
  if (o.limit <= 0) return [];
  return immediate(db, (trx) => claimJobsInTx(trx, o));
}

export async function claimJobsInTx(trx: Db, o: ClaimOptions): Promise<ClaimedJob[]> {
  const now = toInstant(o.now);
  const expires = toInstant(o.now + o.leaseMs);
  const typeFilter = o.types && o.types.length > 0 ? sql`and type in (${sql.join(o.types)})` : sql``;
  const idFilter = o.ids ? sql`and id in (${sql.join(o.ids.length > 0 ? o.ids : [-1])})` : sql``;
  const claimed = await sql<{
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
  }>`
    update job
    set state = 'running', lease_owner = ${o.owner}, lease_token = lease_token + 1, lease_expires_at = ${expires},
        attempts = attempts + 1, started_at = coalesce(started_at, ${now}), updated_at = ${now}
    where id in (
      select id from job indexed by job_claim -- the planner would otherwise sort every pending job
      where state = 'pending' and blocked = 0 and run_at <= ${now} ${typeFilter} ${idFilter}
      order by priority desc, run_at, id
      limit ${o.limit})
    returning id, type, payload, attempts, max_attempts, lease_token, priority, schedule_id, batch_id, timeout_ms, created_at, started_at`.execute(
    trx,
  );
  if (claimed.rows.length === 0) return [];

  const attemptRows = claimed.rows.map((j) => [j.id, j.attempts, j.lease_token]);
  const attempts = await sql<{ id: number; job_id: number }>`
    insert into job_attempt (job_id, attempt, token, worker, started_at)
    select v.value ->> 0, v.value ->> 1, v.value ->> 2, ${o.owner}, ${now}
    from json_each(${JSON.stringify(attemptRows)}) as v
    returning id, job_id`.execute(trx);
  const attemptOf = new Map(attempts.rows.map((a) => [a.job_id, a.id]));
  const snoozed = await sql<{ job_id: number; n: number }>`
    select job_id, count(*) as n from job_attempt
    where outcome = 'snoozed' and job_id in (${sql.join(claimed.rows.map((j) => j.id))})
    group by job_id`.execute(trx);
  const snoozesOf = new Map(snoozed.rows.map((r) => [r.job_id, r.n]));

  return claimed.rows
    .map((j) => ({
      id: j.id,
      type: j.type,
      payload: j.payload,
      attempt: j.attempts,
      maxAttempts: j.max_attempts,
      token: j.lease_token,
      attemptId: attemptOf.get(j.id) as number,
      priority: j.priority,
      scheduleId: j.schedule_id,
      batchId: j.batch_id,
      timeoutMs: j.timeout_ms,
      claimedAt: o.now,
      createdAt: fromInstant(j.created_at),
      firstStartedAt: fromInstant(j.started_at),
      snoozes: snoozesOf.get(j.id) ?? 0,
    }))
    .sort((a, b) => b.priority - a.priority || a.id - b.id);
}
