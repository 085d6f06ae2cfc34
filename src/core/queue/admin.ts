import { UsageError } from "../errors.ts";
import { immediate, type Db } from "../db/handle.ts";
import { dedupeKeyOf, parsePayload } from "../jobs/payload.ts";
import type { JobDefinition } from "../jobs/types.ts";
import { retryPolicy } from "./backoff.ts";
import type { JobState } from "./schema.ts";
import { toInstant } from "../time.ts";
import { blockedBy, settleDependents } from "./dependents.ts";
import type { JobEndHook } from "./ended.ts";
import { liveHolders } from "./enqueue.ts";

export interface CancelResult {
  id: number;
  /** cancelled: it was pending and is cancelled now; requested: it is running and stops at its next check. */
  outcome: "cancelled" | "requested";
}

/**
 * Cancels pending jobs at once and asks running ones to stop, all in one transaction: an
 * unknown or finished job among them is a UsageError and nothing is changed. The jobs waiting
 * on the cancelled ones are cancelled after all the named ones, so a child named with its
 * parent is cancelled as named, whichever comes first; then `onEnded` follows up, in the same
 * transaction, as for any job cancelled (a running one is followed up when its worker stops it).
 */
export async function cancelJobs(db: Db, ids: readonly number[], now: number, by: string, onEnded?: JobEndHook): Promise<CancelResult[]> {
  return immediate(db, async (trx) => {
    const results: CancelResult[] = [];
    for (const id of new Set(ids)) results.push(await cancelOne(trx, id, now, by));
    const cancelled = results.filter((r) => r.outcome === "cancelled").map((r) => r.id);
    if (cancelled.length > 0) {
      await settleDependents(
        trx,
        cancelled.map((id) => ({ id, state: "cancelled" as const })),
        now,
      );
      await onEnded?.(trx, { dead: [], cancelled }, now);
    }
    return results;
  });
}

async function cancelOne(trx: Db, id: number, now: number, by: string): Promise<CancelResult> {
  const job = await trx.selectFrom("job").select(["id", "state"]).where("id", "=", id).executeTakeFirst();
  if (!job) throw new UsageError(`no job with id ${id}`, { code: "NOT_FOUND" });
  const stamp = toInstant(now);
  if (job.state === "pending") {
    await trx
      .updateTable("job")
      .set({ state: "cancelled", blocked: 0, finished_at: stamp, updated_at: stamp, last_error: `cancelled by ${by}` })
      .where("id", "=", id)
      .execute();
    return { id, outcome: "cancelled" };
  }
  if (job.state === "running") {
    await trx.updateTable("job").set({ cancel_requested_at: stamp, updated_at: stamp }).where("id", "=", id).execute();
    return { id, outcome: "requested" };
  }
  throw new UsageError(`job ${id} is already ${job.state}; only pending or running jobs can be cancelled`);
}

const RETRYABLE: readonly JobState[] = ["dead", "cancelled"];

export interface RetryResult {
  /** The jobs put back in the queue. */
  retried: number[];
  /** With "dead": jobs left dead because a job with their dedupe key is queued already. */
  skipped: Array<{ id: number; reason: string }>;
}

/** A job type by name, or undefined for one this binary does not know (its job dies again when it runs). */
export type JobTypeOf = (type: string) => Promise<JobDefinition<unknown> | undefined>;

/**
 * Puts dead or cancelled jobs back in the queue, due now, with as many attempts more than they
 * have used as their type's policy gives. History is kept. A job that depends on another waits
 * for it again; one whose parent is dead or cancelled could never run, so it is refused unless
 * the parent is retried with it. A revived job carries the dedupe key enqueue would give it now
 * (its type's own key wins over the one it was made with: a job made before its type declared
 * one comes back with it), and a key stays unique among live jobs: a job whose key another
 * pending or running job holds is refused when named, and left dead with "dead".
 */
export async function retryJobs(db: Db, ids: number[] | "dead", now: number, typeOf: JobTypeOf): Promise<RetryResult> {
  return immediate(db, async (trx) => {
    let query = trx.selectFrom("job").select(["id", "state", "type", "payload", "attempts", "depends_on", "dedupe_key"]);
    query = ids === "dead" ? query.where("state", "=", "dead").orderBy("id") : query.where("id", "in", ids.length > 0 ? ids : [-1]);
    const found = await query.execute();
    const chosen =
      ids === "dead"
        ? found
        : [...new Set(ids)].map((id) => {
            const job = found.find((j) => j.id === id);
            if (!job) throw new UsageError(`no job with id ${id}`, { code: "NOT_FOUND" });
            if (!RETRYABLE.includes(job.state))
              throw new UsageError(`job ${id} is ${job.state}; only dead or cancelled jobs can be retried`);
            return job;
          });
    const types = new Map<string, JobDefinition<unknown> | undefined>();
    for (const type of new Set(chosen.map((j) => j.type))) types.set(type, await typeOf(type));
    const jobs = chosen.map((j) => ({ ...j, dedupe_key: revivedKey(types.get(j.type), j.payload, j.dedupe_key) }));

    const keys = [...new Set(jobs.map((j) => j.dedupe_key).filter((k): k is string => k !== null))];
    const heldBy = new Map([...(await liveHolders(trx, keys))].map(([key, holder]) => [key, holder.id]));
    const skipped: RetryResult["skipped"] = [];
    const todo = jobs.filter((j) => {
      if (j.dedupe_key === null) return true;
      const holder = heldBy.get(j.dedupe_key);
      if (holder === undefined) {
        heldBy.set(j.dedupe_key, j.id); // a second retried job with this key would be a duplicate
        return true;
      }
      const why = `job ${holder} with the same dedupe key "${j.dedupe_key}" is queued`;
      if (ids !== "dead") throw new UsageError(`job ${j.id} cannot be retried: ${why}`);
      skipped.push({ id: j.id, reason: why });
      return false;
    });

    const stamp = toInstant(now);
    const retried = new Set(todo.map((j) => j.id));
    for (const j of todo) {
      const parent =
        j.depends_on === null
          ? undefined
          : retried.has(j.depends_on)
            ? "pending"
            : (await trx.selectFrom("job").select("state").where("id", "=", j.depends_on).executeTakeFirst())?.state;
      if (parent === "dead" || parent === "cancelled") {
        throw new UsageError(`job ${j.id} depends on job ${j.depends_on}, which is ${parent}: it would never run`, {
          hint: `retry both: leadjobs jobs retry ${j.depends_on} ${j.id}`,
        });
      }
      await trx
        .updateTable("job")
        .set({
          state: "pending",
          run_at: stamp,
          max_attempts: j.attempts + retryPolicy(types.get(j.type)?.retry).maxAttempts,
          dedupe_key: j.dedupe_key,
          finished_at: null,
          cancel_requested_at: null,
          blocked: parent === undefined ? 0 : blockedBy(parent),
          updated_at: stamp,
        })
        .where("id", "=", j.id)
        .execute();
    }
    return { retried: [...retried], skipped };
  });
}

/**
 * The dedupe key a job comes back with: its type's own for its payload, as enqueue gives it, else
 * the one it has. A payload its type no longer accepts keeps its key: the job dies at once when it runs.
 */
function revivedKey(def: JobDefinition<unknown> | undefined, stored: unknown, key: string | null): string | null {
  if (!def?.dedupeKey) return key;
  let payload: unknown;
  try {
    payload = parsePayload(def, typeof stored === "string" ? JSON.parse(stored) : stored);
  } catch {
    return key;
  }
  return dedupeKeyOf(def, payload, key);
}
