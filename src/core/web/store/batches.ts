import { sql } from "kysely";
import type { AnalysisType, ItemStatus, WebBatchItemRow, WebBatchRow } from "../schema.ts";
import { immediate, type Db } from "../../db/handle.ts";
import { byDialect } from "../../db/dialect.ts";
import * as postgres from "./batches.postgres.ts";
import * as sqlite from "./batches.sqlite.ts";
import { batchIdOfJob, liveBatchJob } from "../../queue/batch-jobs.ts";
import { UsageError } from "../../errors.ts";
import { toInstant } from "../../time.ts";

/** At most this many sites per batch (the seed spec's limit). */
export const MAX_BATCH_SIZE = 100;

export interface ItemSpec {
  leadId: number | null;
  orgnr: string | null;
  /** Null: the lead has no website; the item is created as skipped. */
  url: string | null;
}

export interface BatchOptions {
  browser?: "auto" | "always" | "never" | undefined;
  allowPrivate?: boolean | undefined;
  allowHosts?: string[] | undefined;
  fingerprints?: string[] | undefined;
  /** Do not read or honour robots.txt (run-batch --ignore-robots). */
  ignoreRobots?: boolean | undefined;
}

export interface NewBatch {
  analysis: AnalysisType;
  selector: Record<string, unknown>;
  options: BatchOptions;
  items: ItemSpec[];
}

/** Creates one batch with its items (skipped when there is no website); call inside `immediate`. */
export async function insertBatch(trx: Db, b: NewBatch, now: number): Promise<number> {
  const stamp = toInstant(now);
  const row = await trx
    .insertInto("web_batch")
    .values({
      analysis: b.analysis,
      selector: JSON.stringify(b.selector),
      options: JSON.stringify(b.options),
      created_at: stamp,
      started_at: null,
      finished_at: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (b.items.length > 0) {
    await byDialect(trx, { sqlite, postgres }).insertItems(trx, row.id, b.items, stamp);
  }
  return row.id;
}

/** Splits a selection into batches of `size` (at most 100) sites. */
export function splitIntoBatches(items: ItemSpec[], size: number): ItemSpec[][] {
  const n = Math.max(1, Math.min(MAX_BATCH_SIZE, size));
  const out: ItemSpec[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}

export async function getBatch(db: Db, id: number): Promise<WebBatchRow> {
  const b = await db.selectFrom("web_batch").selectAll().where("id", "=", id).executeTakeFirst();
  if (!b) throw new UsageError(`no batch with id ${id}`, { code: "NOT_FOUND" });
  return b;
}

export async function batchItems(db: Db, batchId: number): Promise<WebBatchItemRow[]> {
  return db.selectFrom("web_batch_item").selectAll().where("batch_id", "=", batchId).orderBy("position").execute();
}

export type StatusCounts = Record<ItemStatus, number> & { total: number };

export async function batchCounts(db: Db, batchId: number): Promise<StatusCounts> {
  const rows = await db
    .selectFrom("web_batch_item")
    .select(["status", sql<number>`count(*)`.as("n")])
    .where("batch_id", "=", batchId)
    .groupBy("status")
    .execute();
  const counts: StatusCounts = { pending: 0, running: 0, ok: 0, failed: 0, blocked: 0, skipped: 0, cancelled: 0, total: 0 };
  for (const r of rows) {
    counts[r.status] = r.n;
    counts.total += r.n;
  }
  return counts;
}

/** Items to run now: pending ones, and blocked ones whose next try is due. Running ones left by a crashed run count as pending. */
export async function dueItems(db: Db, batchId: number, now: number): Promise<WebBatchItemRow[]> {
  return db
    .selectFrom("web_batch_item")
    .selectAll()
    .where("batch_id", "=", batchId)
    .where((eb) =>
      eb.or([
        eb("status", "in", ["pending", "running"]),
        eb.and([eb("status", "=", "blocked"), eb("next_attempt_at", "is not", null), eb("next_attempt_at", "<=", toInstant(now))]),
      ]),
    )
    .orderBy("position")
    .execute();
}

/** The earliest next try of blocked items still to be retried, or null. */
export async function nextBlockedRetry(db: Db, batchId: number): Promise<string | null> {
  const row = await db
    .selectFrom("web_batch_item")
    .select(sql<string | null>`min(next_attempt_at)`.as("at"))
    .where("batch_id", "=", batchId)
    .where("status", "=", "blocked")
    .executeTakeFirst();
  return row?.at ?? null;
}

export async function markBatchStarted(db: Db, batchId: number, now: number): Promise<void> {
  await db
    .updateTable("web_batch")
    .set({ started_at: sql`coalesce(started_at, ${toInstant(now)})`, finished_at: null })
    .where("id", "=", batchId)
    .execute();
}

export async function markBatchFinished(db: Db, batchId: number, now: number): Promise<void> {
  await db
    .updateTable("web_batch")
    .set({ finished_at: toInstant(now) })
    .where("id", "=", batchId)
    .execute();
}

export async function markItemRunning(db: Db, itemId: number, now: number): Promise<void> {
  await db
    .updateTable("web_batch_item")
    .set({ status: "running", started_at: toInstant(now), finished_at: null, error: null })
    .where("id", "=", itemId)
    .execute();
}

/** An item that was not analysed (robots.txt does not allow its page): skipped, with the reason. */
export async function markItemSkipped(db: Db, itemId: number, reason: string, durationMs: number, now: number): Promise<void> {
  await db
    .updateTable("web_batch_item")
    .set({ status: "skipped", finished_at: toInstant(now), error: reason, duration_ms: durationMs, next_attempt_at: null })
    .where("id", "=", itemId)
    .execute();
}

/** Items that did not get to run (cancel, shutdown): cancelled, or back to pending. */
export async function settleUnfinished(db: Db, batchId: number, to: "cancelled" | "pending", now: number): Promise<number> {
  const stamp = toInstant(now);
  const res = await db
    .updateTable("web_batch_item")
    .set(
      to === "cancelled"
        ? { status: "cancelled", finished_at: stamp, error: "cancelled", next_attempt_at: null }
        : { status: "pending", started_at: null },
    )
    .where("batch_id", "=", batchId)
    .where((eb) =>
      to === "cancelled"
        ? eb.or([eb("status", "in", ["pending", "running"]), eb.and([eb("status", "=", "blocked"), eb("next_attempt_at", "is not", null)])])
        : eb("status", "=", "running"),
    )
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/**
 * Closes the batches of jobs that died (a last attempt failed, timed out or was lost with its
 * worker): their unfinished items fail with the job's error, blocked ones are not tried again,
 * and the batch is finished. Inside the transaction that recorded the deaths.
 */
export async function settleBatchesOfDeadJobs(trx: Db, jobs: ReadonlyArray<{ id: number; error: string }>, now: number): Promise<void> {
  const stamp = toInstant(now);
  for (const job of jobs) {
    const batchId = await batchIdOfJob(trx, job.id);
    if (batchId === null) continue;
    const error = `batch job ${job.id} died: ${job.error}`;
    await trx
      .updateTable("web_batch_item")
      .set({ status: "failed", finished_at: stamp, error, next_attempt_at: null })
      .where("batch_id", "=", batchId)
      .where("status", "in", ["pending", "running"])
      .execute();
    await trx
      .updateTable("web_batch_item")
      .set({ next_attempt_at: null })
      .where("batch_id", "=", batchId)
      .where("status", "=", "blocked")
      .execute();
    await markBatchFinished(trx, batchId, now);
  }
  // Their deaths cancelled the jobs that depended on them, web.batch jobs among them.
  await closeAbandonedBatchesInTx(trx, now);
}

/**
 * Finishes the batches left with no job to run them: no pending or running web.batch job is
 * for the batch and one was cancelled (before it ran: by hand, or because the job it depended
 * on was cancelled or died; or with its worker lost). Such a job never gets to the runner, which
 * settles a cancelled batch itself, so its unfinished items are cancelled here and the batch is
 * finished. Returns the batches finished. A job is for the batch it is attached to, or that its
 * payload names (a job enqueued before `batchOf` attached it, or by a path that does not apply it).
 */
export async function closeAbandonedBatchesInTx(trx: Db, now: number): Promise<number[]> {
  const open = await trx.selectFrom("web_batch").select("id").where("finished_at", "is", null).execute();
  if (open.length === 0) return [];
  const jobs = await trx
    .selectFrom("job")
    .select(["state", "batch_id", "payload"])
    .where("type", "=", "web.batch")
    .where("state", "in", ["pending", "running", "cancelled"])
    .execute();
  const live = new Set<number | null>();
  const cancelled = new Set<number | null>();
  for (const j of jobs) (j.state === "cancelled" ? cancelled : live).add(j.batch_id ?? batchInPayload(j.payload));
  const abandoned = open.map((b) => b.id).filter((id) => cancelled.has(id) && !live.has(id));
  for (const batchId of abandoned) {
    await settleUnfinished(trx, batchId, "cancelled", now);
    await markBatchFinished(trx, batchId, now);
  }
  return abandoned;
}

/** The batch a web.batch payload names (`{"batch": N}`), or null for a selection. */
function batchInPayload(payload: unknown): number | null {
  const parsed: unknown = typeof payload === "string" ? JSON.parse(payload) : payload;
  const batch = parsed !== null && typeof parsed === "object" ? (parsed as { batch?: unknown }).batch : undefined;
  return typeof batch === "number" ? batch : null;
}

/**
 * Puts a batch's failed, blocked and cancelled items back to pending (retry count + 1) for
 * `run-batch --retry-failed`; returns how many. Refused while a job of the batch is live.
 */
export async function prepareRetry(db: Db, batchId: number): Promise<number> {
  return immediate(db, async (trx) => {
    await getBatch(trx, batchId);
    const live = await liveBatchJob(trx, batchId);
    if (live !== undefined)
      throw new UsageError(`batch ${batchId} is still queued or running (job ${live}); retry its failed items when it has finished`);
    const res = await trx
      .updateTable("web_batch_item")
      .set((eb) => ({
        status: "pending",
        retry_count: eb("retry_count", "+", 1),
        next_attempt_at: null,
        error: null,
        started_at: null,
        finished_at: null,
      }))
      .where("batch_id", "=", batchId)
      .where("status", "in", ["failed", "blocked", "cancelled"])
      .executeTakeFirst();
    const n = Number(res.numUpdatedRows);
    if (n > 0) await trx.updateTable("web_batch").set({ finished_at: null }).where("id", "=", batchId).execute();
    return n;
  });
}

/** The ids of the latest batches, newest first. */
export async function latestBatchIds(db: Db, limit: number): Promise<number[]> {
  const rows = await db.selectFrom("web_batch").select("id").orderBy("id", "desc").limit(limit).execute();
  return rows.map((r) => r.id);
}
