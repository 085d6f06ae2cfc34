import { byDialect } from "../db/dialect.ts";
import { type Db, rowLockedTransaction } from "../db/handle.ts";
import { fromInstant, toInstant } from "../time.ts";
import * as postgres from "./claim.postgres.ts";
import * as sqlite from "./claim.sqlite.ts";
import type { ClaimedWithSnoozes } from "./claim.sqlite.ts";

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
  /** `host:pid` of the worker that claimed it (the lease owner). */
  owner: string;
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
  /**
   * The lease clock's now, when it is not `now` (a command's pinned --now): leases run on the real
   * clock (the database server's on PostgreSQL), so every worker judges them alike.
   */
  leaseNow?: number | undefined;
  leaseMs: number;
  /** Only these types (all when empty or undefined). */
  types?: readonly string[] | undefined;
  /** Only these jobs (a direct command claiming the job it just enqueued). */
  ids?: readonly number[] | undefined;
}

/**
 * Claims up to `limit` due jobs in one write transaction (rowLockedTransaction): highest priority
 * first, then earliest run_at. Each claim bumps the job's fencing token; the attempt's history row
 * is written when it ends (finish.ts, rescue.ts).
 */
export async function claimJobs(db: Db, o: ClaimOptions): Promise<ClaimedJob[]> {
  if (o.limit <= 0) return [];
  return rowLockedTransaction(db, (trx) => claimJobsInTx(trx, o));
}

export async function claimJobsInTx(trx: Db, o: ClaimOptions): Promise<ClaimedJob[]> {
  const now = toInstant(o.now);
  const expires = leaseExpiry(o);
  const claimed = await byDialect(trx, { sqlite, postgres }).claimWithSnoozes(trx, {
    owner: o.owner,
    now,
    expires,
    limit: o.limit,
    types: o.types,
    ids: o.ids,
  });
  return claimedJobs(claimed, o.owner, o.now);
}

/** When a lease taken now ends, on the lease clock. */
export const leaseExpiry = (o: Pick<ClaimOptions, "now" | "leaseNow" | "leaseMs">): string => toInstant((o.leaseNow ?? o.now) + o.leaseMs);

/** The jobs of claimed rows (claimed by `owner` at `now`), highest priority first. */
export function claimedJobs(claimed: readonly ClaimedWithSnoozes[], owner: string, now: number): ClaimedJob[] {
  return claimed
    .map((j) => ({
      id: j.id,
      type: j.type,
      payload: j.payload,
      attempt: j.attempts,
      maxAttempts: j.max_attempts,
      token: j.lease_token,
      owner,
      priority: j.priority,
      scheduleId: j.schedule_id,
      batchId: j.batch_id,
      timeoutMs: j.timeout_ms,
      claimedAt: now,
      createdAt: fromInstant(j.created_at),
      firstStartedAt: fromInstant(j.started_at),
      snoozes: j.snoozes,
    }))
    .sort((a, b) => b.priority - a.priority || a.id - b.id);
}
