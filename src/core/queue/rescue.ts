import { sql } from "kysely";
import { immediate, type Db } from "../db/handle.ts";
import { toInstant } from "../time.ts";
import { announceJobs } from "./enqueue.ts";
import { settleDependents } from "./dependents.ts";
import type { EndedJobs, JobEndHook } from "./ended.ts";
import { runningAttempt } from "./schema.ts";

export interface RescuedJob {
  id: number;
  type: string;
  attempts: number;
  owner: string | null;
  /** What happened to the job: back to the queue, dead (no attempts left) or cancelled. */
  state: "pending" | "dead" | "cancelled";
  reason: string;
}

export interface RescueOptions {
  now: number;
  /** True when the lease owner (`host:pid`) is known to be gone, e.g. a dead process on this host. */
  ownerGone: (owner: string) => boolean;
  /** Called in the rescue's transaction with the jobs it left dead (no attempts left) or cancelled (a cancel was requested). */
  onEnded?: JobEndHook | undefined;
}

/**
 * Returns the jobs of crashed workers to the queue: running jobs whose lease expired, or whose
 * owner process is gone. The lost attempt is recorded (and counts); a job with no attempts
 * left is dead, one with a pending cancel request is cancelled.
 */
export async function rescueLostJobs(db: Db, o: RescueOptions): Promise<RescuedJob[]> {
  const now = toInstant(o.now);
  const running = await db
    .selectFrom("job")
    .select([
      "id",
      "type",
      "lease_owner",
      "lease_token",
      "lease_expires_at",
      "claimed_at",
      "updated_at",
      "attempts",
      "max_attempts",
      "cancel_requested_at",
    ])
    .where("state", "=", "running")
    .execute();
  const lost = running
    .map((j) => ({ ...j, gone: j.lease_owner !== null && o.ownerGone(j.lease_owner) }))
    .filter((j) => j.gone || (j.lease_expires_at !== null && j.lease_expires_at < now));
  if (lost.length === 0) return [];

  return immediate(db, async (trx) => {
    const rescued: RescuedJob[] = [];
    for (const j of lost) {
      const why = j.gone ? "its process is gone" : `lease expired at ${j.lease_expires_at}`;
      const reason = `lost: worker ${j.lease_owner ?? "?"} stopped (${why})`;
      const state = j.cancel_requested_at !== null ? "cancelled" : j.attempts >= j.max_attempts ? "dead" : "pending";
      // Read before the write lock: a live worker may have renewed an expired lease since (after a suspend).
      const stillExpired = j.gone ? sql<boolean>`1 = 1` : sql<boolean>`lease_expires_at < ${now}`;
      const changed = await trx
        .updateTable("job")
        .set({
          state,
          lease_owner: null,
          lease_expires_at: null,
          claimed_at: null,
          last_error: reason,
          run_at: state === "pending" ? now : undefined,
          finished_at: state === "pending" ? null : now,
          cancel_requested_at: state === "cancelled" ? null : undefined,
          updated_at: now,
        })
        .where("id", "=", j.id)
        .where("lease_token", "=", j.lease_token)
        .where("state", "=", "running")
        .where(stillExpired)
        .executeTakeFirst();
      if (Number(changed.numUpdatedRows) === 0) continue;
      // The same token: the claim read above is the one that was lost, with its owner, number and start.
      await trx
        .insertInto("job_attempt")
        .values({
          ...runningAttempt(j),
          finished_at: now,
          outcome: "lost",
          error: reason,
        })
        .execute();
      rescued.push({ id: j.id, type: j.type, attempts: j.attempts, owner: j.lease_owner, state, reason });
    }
    const settled = rescued.filter((r) => r.state !== "pending").map((r) => ({ id: r.id, state: r.state as "dead" | "cancelled" }));
    if (settled.length > 0) await settleDependents(trx, settled, o.now);
    if (rescued.some((r) => r.state === "pending")) await announceJobs(trx);
    const ended: EndedJobs = {
      dead: rescued.filter((r) => r.state === "dead").map((r) => ({ id: r.id, type: r.type, error: r.reason, attempts: r.attempts })),
      cancelled: rescued.filter((r) => r.state === "cancelled").map((r) => r.id),
    };
    if (o.onEnded && (ended.dead.length > 0 || ended.cancelled.length > 0)) await o.onEnded(trx, ended, o.now);
    return rescued;
  });
}
