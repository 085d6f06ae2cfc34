import { sql } from "kysely";
import { byDialect } from "../db/dialect.ts";
import { type Db, rowLockedTransaction } from "../db/handle.ts";
import { fromInstant, toInstant } from "../time.ts";
import * as postgres from "./claim.postgres.ts";
import * as sqlite from "./claim.sqlite.ts";

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
 * Claims up to `limit` due jobs in one write transaction (rowLockedTransaction): highest priority
 * first, then earliest run_at. Each claim bumps the job's fencing token and opens an attempt row.
 */
export async function claimJobs(db: Db, o: ClaimOptions): Promise<ClaimedJob[]> {
  if (o.limit <= 0) return [];
  return rowLockedTransaction(db, (trx) => claimJobsInTx(trx, o));
}

export async function claimJobsInTx(trx: Db, o: ClaimOptions): Promise<ClaimedJob[]> {
  const now = toInstant(o.now);
  const expires = toInstant(o.now + o.leaseMs);
  const q = byDialect(trx, { sqlite, postgres });
  const claimed = await q.claimDueJobs(trx, { owner: o.owner, now, expires, limit: o.limit, types: o.types, ids: o.ids });
  if (claimed.length === 0) return [];

  const attemptRows = claimed.map((j) => [j.id, j.attempts, j.lease_token] as const);
  const attempts = await q.insertAttempts(trx, attemptRows, o.owner, now);
  const attemptOf = new Map(attempts.map((a) => [a.job_id, a.id]));
  const snoozed = await sql<{ job_id: number; n: number }>`
    select job_id, count(*) as n from job_attempt
    where outcome = 'snoozed' and job_id in (${sql.join(claimed.map((j) => j.id))})
    group by job_id`.execute(trx);
  const snoozesOf = new Map(snoozed.rows.map((r) => [r.job_id, r.n]));

  return claimed
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
