import { sql } from "kysely";
import type { Db } from "../db/sqlite.ts";
import { toInstant } from "../time.ts";

export interface HeldLease {
  id: number;
  token: number;
}

export interface LeaseCheck {
  /** Jobs whose lease we still hold (now extended). */
  held: Set<number>;
  /** Of those, jobs someone asked to cancel. */
  cancelRequested: Set<number>;
}

/** Extends the leases we still hold; a job missing from `held` was taken from us. */
export async function renewLeases(db: Db, leases: HeldLease[], now: number, leaseMs: number): Promise<LeaseCheck> {
  if (leases.length === 0) return { held: new Set(), cancelRequested: new Set() };
  const rows = await sql<{ id: number; cancel_requested_at: string | null }>`
    update job set lease_expires_at = ${toInstant(now + leaseMs)}, updated_at = ${toInstant(now)}
    from json_each(${JSON.stringify(leases)}) as v
    where job.id = v.value ->> 'id' and job.lease_token = v.value ->> 'token' and +job.state = 'running'
    returning job.id, job.cancel_requested_at`.execute(db);
  return {
    held: new Set(rows.rows.map((r) => r.id)),
    cancelRequested: new Set(rows.rows.filter((r) => r.cancel_requested_at !== null).map((r) => r.id)),
  };
}

/** Reads which of our running jobs have a cancel request, without writing. */
export async function cancelRequests(db: Db, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom("job")
    .select("id")
    .where("id", "in", ids)
    .where("state", "=", "running")
    .where("cancel_requested_at", "is not", null)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Stores a running job's progress (fenced by its token). */
export async function saveProgress(db: Db, lease: HeldLease, progress: unknown, now: number): Promise<void> {
  await db
    .updateTable("job")
    .set({ progress: JSON.stringify(progress), updated_at: toInstant(now) })
    .where("id", "=", lease.id)
    .where("lease_token", "=", lease.token)
    .where("state", "=", "running")
    .execute();
}
