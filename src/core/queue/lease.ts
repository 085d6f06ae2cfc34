import { byDialect } from "../db/dialect.ts";
import type { Db } from "../db/handle.ts";
import { toInstant } from "../time.ts";
import * as postgres from "./lease.postgres.ts";
import * as sqlite from "./lease.sqlite.ts";

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
  const rows = await byDialect(db, { sqlite, postgres }).extendLeases(db, leases, toInstant(now + leaseMs), toInstant(now));
  return {
    held: new Set(rows.map((r) => r.id)),
    cancelRequested: new Set(rows.filter((r) => r.cancel_requested_at !== null).map((r) => r.id)),
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
