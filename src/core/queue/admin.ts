import { UsageError } from "../errors.ts";
import { immediate, type Db } from "../db/sqlite.ts";
import type { JobState } from "../db/schema.ts";
import { toInstant } from "../time.ts";
import { blockedBy, settleDependents } from "./dependents.ts";

export interface CancelResult {
  id: number;
  /** cancelled: it was pending and is cancelled now; requested: it is running and stops at its next check. */
  outcome: "cancelled" | "requested";
}

/** Cancels a pending job at once; asks a running job to stop. Finished jobs are refused. */
export async function cancelJob(db: Db, id: number, now: number, by: string): Promise<CancelResult> {
  return immediate(db, async (trx) => {
    const job = await trx.selectFrom("job").select(["id", "state"]).where("id", "=", id).executeTakeFirst();
    if (!job) throw new UsageError(`no job with id ${id}`, { code: "NOT_FOUND" });
    const stamp = toInstant(now);
    if (job.state === "pending") {
      await trx.updateTable("job")
        .set({ state: "cancelled", blocked: 0, finished_at: stamp, updated_at: stamp, last_error: `cancelled by ${by}` })
        .where("id", "=", id).execute();
      await settleDependents(trx, [{ id, state: "cancelled" }], now);
      return { id, outcome: "cancelled" };
    }
    if (job.state === "running") {
      await trx.updateTable("job").set({ cancel_requested_at: stamp, updated_at: stamp }).where("id", "=", id).execute();
      return { id, outcome: "requested" };
    }
    throw new UsageError(`job ${id} is already ${job.state}; only pending or running jobs can be cancelled`);
  });
}

const RETRYABLE: readonly JobState[] = ["dead", "cancelled"];

/**
 * Puts dead or cancelled jobs back in the queue, due now, with `extraAttempts` more attempts
 * than they have used. History is kept.
 */
export async function retryJobs(db: Db, ids: number[] | "dead", now: number, extraAttempts: (type: string) => number): Promise<number[]> {
  return immediate(db, async (trx) => {
    let query = trx.selectFrom("job").select(["id", "state", "type", "attempts", "depends_on", "dedupe_key"]);
    query = ids === "dead" ? query.where("state", "=", "dead") : query.where("id", "in", ids.length > 0 ? ids : [-1]);
    const jobs = await query.execute();
    if (ids !== "dead") {
      for (const id of ids) {
        const job = jobs.find((j) => j.id === id);
        if (!job) throw new UsageError(`no job with id ${id}`, { code: "NOT_FOUND" });
        if (!RETRYABLE.includes(job.state)) throw new UsageError(`job ${id} is ${job.state}; only dead or cancelled jobs can be retried`);
      }
    }
    const stamp = toInstant(now);
    const keys = jobs.map((j) => j.dedupe_key).filter((k): k is string => k !== null);
    const live = keys.length === 0 ? [] : await trx.selectFrom("job").select(["id", "dedupe_key"])
      .where("dedupe_key", "in", keys).where("state", "in", ["pending", "running"]).execute();
    if (live.length > 0) {
      const clash = live[0] as { id: number; dedupe_key: string | null };
      throw new UsageError(`job ${clash.id} is already queued with dedupe key "${clash.dedupe_key}"; retrying would run the same work twice`);
    }
    for (const j of jobs) {
      const parent = j.depends_on === null ? undefined
        : await trx.selectFrom("job").select("state").where("id", "=", j.depends_on).executeTakeFirst();
      await trx.updateTable("job")
        .set({
          state: "pending", run_at: stamp, max_attempts: j.attempts + extraAttempts(j.type), finished_at: null, cancel_requested_at: null,
          blocked: parent ? blockedBy(parent.state) : 0, updated_at: stamp,
        })
        .where("id", "=", j.id).execute();
    }
    return jobs.map((j) => j.id);
  });
}
