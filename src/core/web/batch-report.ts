import type { ItemStatus } from "./schema.ts";
import type { Db } from "../db/handle.ts";
import { batchJobIds } from "../queue/batch-jobs.ts";
import { changesForAnalysis, describeChange } from "./changes.ts";
import { batchCounts, batchItems, getBatch, latestBatchIds, type StatusCounts } from "./store/batches.ts";

export interface ItemReport {
  position: number;
  leadId: number | null;
  orgnr: string | null;
  url: string | null;
  status: ItemStatus;
  retryCount: number;
  nextAttemptAt: string | null;
  durationMs: number | null;
  error: string | null;
  result: {
    platform: string | null;
    payment: string[];
    delivery: string[];
    carrier: string[];
    other: string[];
    via: string;
    pages: number;
    notes?: string[];
    blocked?: string;
  } | null;
  analysisId: number | null;
  /** What changed since the previous analysis, one line each. */
  changes: string[];
}

export interface BatchReport {
  id: number;
  analysis: string;
  selector: unknown;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  counts: StatusCounts;
  jobs: number[];
  items: ItemReport[];
}

/** A batch with its items, as `jobs show` and `run-batch` print them. */
export async function batchReport(db: Db, batchId: number, o: { changes?: boolean } = {}): Promise<BatchReport> {
  const b = await getBatch(db, batchId);
  const items = await batchItems(db, batchId);
  const jobs = await batchJobIds(db, batchId);
  const reports: ItemReport[] = [];
  for (const i of items) {
    const changes =
      o.changes !== false && i.analysis_id !== null && i.status === "ok"
        ? (await changesForAnalysis(db, i.analysis_id)).map(describeChange)
        : [];
    reports.push({
      position: i.position,
      leadId: i.lead_id,
      orgnr: i.orgnr,
      url: i.url,
      status: i.status,
      retryCount: i.retry_count,
      nextAttemptAt: i.next_attempt_at,
      durationMs: i.duration_ms,
      error: i.error,
      result: i.result === null ? null : JSON.parse(i.result),
      analysisId: i.analysis_id,
      changes,
    });
  }
  return {
    id: b.id,
    analysis: b.analysis,
    selector: JSON.parse(b.selector),
    createdAt: b.created_at,
    startedAt: b.started_at,
    finishedAt: b.finished_at,
    counts: await batchCounts(db, batchId),
    jobs,
    items: reports,
  };
}

/** Batch `batchId`'s report, or null when its row is gone (a job's batch, for `jobs show`). */
export async function batchReportIfAny(db: Db, batchId: number): Promise<BatchReport | null> {
  const exists = await db.selectFrom("web_batch").select("id").where("id", "=", batchId).executeTakeFirst();
  return exists ? batchReport(db, batchId) : null;
}

/** The latest batches, newest first, as `run-batch --json` reports them (without the per-item changes). */
export async function latestBatchReports(db: Db, limit: number): Promise<BatchReport[]> {
  const out: BatchReport[] = [];
  for (const id of await latestBatchIds(db, limit)) out.push(await batchReport(db, id, { changes: false }));
  return out;
}
