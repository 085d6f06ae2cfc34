import { immediate, type Db } from "../db/handle.ts";
import { insertJobs } from "../queue/enqueue.ts";
import type { AnalysisType } from "./analysis-types.ts";
import { insertBatch, splitIntoBatches, type BatchOptions, type ItemSpec } from "./store/batches.ts";

export interface StartBatches {
  analysis: AnalysisType;
  selector: Record<string, unknown>;
  options: BatchOptions;
  items: ItemSpec[];
  /** Sites per batch (at most 100). */
  size: number;
  /** Also enqueue one web.batch job per batch (for `process`), in the same transaction. */
  enqueue: boolean;
  maxAttempts: number;
}

export interface StartedBatch {
  batchId: number;
  jobId: number | null;
  sites: number;
  skipped: number;
}

/** Creates the batches of a selection (and their jobs when enqueueing), all or nothing. */
export async function startBatches(db: Db, s: StartBatches, now: number): Promise<StartedBatch[]> {
  return immediate(db, async (trx) => {
    const out: StartedBatch[] = [];
    for (const items of splitIntoBatches(s.items, s.size)) {
      const batchId = await insertBatch(trx, { analysis: s.analysis, selector: s.selector, options: s.options, items }, now);
      let jobId: number | null = null;
      if (s.enqueue) {
        const [job] = await insertJobs(trx, [{ type: "web.batch", payload: { batch: batchId }, maxAttempts: s.maxAttempts, batchId }], now);
        jobId = job?.id ?? null;
      }
      out.push({ batchId, jobId, sites: items.filter((i) => i.url !== null).length, skipped: items.filter((i) => i.url === null).length });
    }
    return out;
  });
}

/** Enqueues a job for an existing batch (run-batch --retry-failed --enqueue). */
export async function enqueueBatchJob(db: Db, batchId: number, maxAttempts: number, now: number): Promise<number> {
  return immediate(db, async (trx) => {
    const [job] = await insertJobs(trx, [{ type: "web.batch", payload: { batch: batchId }, maxAttempts, batchId }], now);
    return job?.id as number;
  });
}
