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

/**
 * Cancels pending jobs at once and asks running ones to stop, all in one transaction: an
 * unknown or finished job among them is a UsageError and nothing is changed.
 */
export async function cancelJobs(db: Db, ids: readonly number[], now: number, by: string): Promise<CancelResult[]> {
  return immediate(db, async (trx) => {
    const results: CancelResult[] = [];
    for (const id of new Set(ids)) results.push(await cancelOne(trx, id, now, by));
    return results;
  });
}

async function cancelOne(trx: Db, id: number, now: number, by: string): Promise<CancelResult> {
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
}

const RETRYABLE: readonly JobState[] = ["dead", "cancelled"];

/**
 * Puts dead or cancelled jobs back in the queue, due now, with `extraAttempts` more attempts
 * than they have used. History is kept. A job that depends on another waits for it again; one
 * whose parent is dead or cancelled could never run, so it is refused unless the parent is
 * retried with it.
 */
export async function retryJobs(db: Db, ids: number[] | "dead", now: number, extraAttempts: (type: string) => number | Promise<number>): Promise<number[]> {
  return immediate(db, async (trx) => {
    let query = trx.selectFrom("job").select(["id", "state", "type", "attempts", "depends_on"]);
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
    const retried = new Set(jobs.map((j) => j.id));
    for (const j of jobs) {
      const parent = j.depends_on === null ? undefined : retried.has(j.depends_on) ? "pending"
        : (await trx.selectFrom("job").select("state").where("id", "=", j.depends_on).executeTakeFirst())?.state;
      if (parent === "dead" || parent === "cancelled") {
        throw new UsageError(`job ${j.id} depends on job ${j.depends_on}, which is ${parent}: it would never run`, { hint: `retry both: leadjobs jobs retry ${j.depends_on} ${j.id}` });
      }
      await trx.updateTable("job")
        .set({
          state: "pending", run_at: stamp, max_attempts: j.attempts + (await extraAttempts(j.type)), finished_at: null, cancel_requested_at: null,
          blocked: parent === undefined ? 0 : blockedBy(parent), updated_at: stamp,
        })
        .where("id", "=", j.id).execute();
    }
    return jobs.map((j) => j.id);
  });
}
