import type { WebBatchItemRow } from "./schema.ts";
import { immediate, type Db } from "../db/handle.ts";
import { UnavailableError, errorMessage } from "../errors.ts";
import { toInstant } from "../time.ts";
import type { Clock, Logger, Random } from "../types.ts";
import { analyseSite, type SiteAnalysis } from "./analyse-site.ts";
import type { AnalysisType } from "./analysis-types.ts";
import { blockedRetryDelay } from "./blocked.ts";
import type { WebDeps } from "./deps.ts";
import { insertAnalysis } from "./store/analyses.ts";
import {
  batchCounts,
  dueItems,
  markBatchFinished,
  markBatchStarted,
  markItemRunning,
  markItemSkipped,
  nextBlockedRetry,
  settleUnfinished,
  type StatusCounts,
} from "./store/batches.ts";

export interface BatchProgress {
  done: number;
  total: number;
  ok: number;
  failed: number;
  blocked: number;
  skipped: number;
  /** Sites being analysed now. */
  current: string[];
  message: string;
}

export interface BatchRunOptions {
  db: Db;
  deps: WebDeps;
  analysis: AnalysisType;
  /** Sites analysed at once. */
  concurrency: number;
  /** How often a blocked site is tried again (later, with backoff) before it stays blocked. */
  blockedRetries: number;
  clock: Clock;
  random: Random;
  signal: AbortSignal;
  log: Logger;
  progress?: ((p: BatchProgress) => void) | undefined;
}

export interface BatchRunResult {
  batchId: number;
  counts: StatusCounts;
  /** When blocked sites are due to be tried again (the job is snoozed until then), else null. */
  retryAt: string | null;
  /** Items that failed because the browser they needed is missing. */
  browserUnavailable: number;
  /** The error of the first such item, for the one-line hint. */
  browserError: string | null;
}

/**
 * Runs a batch's due items, `concurrency` sites at once: each result is saved with the
 * item in one transaction, so a crash loses at most the sites in flight (they run again).
 * On cancel the remaining items are cancelled and the batch is finished; on shutdown or timeout
 * they go back to pending.
 */
export async function runBatch(batchId: number, o: BatchRunOptions): Promise<BatchRunResult> {
  await markBatchStarted(o.db, batchId, o.clock());
  const items = await dueItems(o.db, batchId, o.clock());
  const before = await batchCounts(o.db, batchId);
  const p: BatchProgress = {
    done: before.total - items.length,
    total: before.total,
    ok: before.ok,
    failed: before.failed,
    blocked: before.blocked - items.filter((i) => i.status === "blocked").length,
    skipped: before.skipped,
    current: [],
    message: "",
  };
  const report = () => {
    p.message = `${p.done}/${p.total} sites${p.current.length > 0 ? `: ${p.current.join(", ")}` : ""}`;
    o.progress?.({ ...p, current: [...p.current] });
  };
  report();
  let browserUnavailable = 0;
  let browserError: string | null = null;
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item && !o.signal.aborted; item = queue.shift()) {
      const url = item.url as string;
      const label = shortSite(url);
      p.current.push(label);
      report();
      const startedAt = o.clock();
      await markItemRunning(o.db, item.id, startedAt);
      let analysis: SiteAnalysis | undefined;
      try {
        analysis = await analyseSite(url, o.analysis, o.deps, o.signal);
      } catch (e) {
        if (o.signal.aborted) break;
        if (e instanceof UnavailableError) {
          browserUnavailable++;
          browserError ??= `${e.message}${e.hint ? ` (${e.hint})` : ""}`;
        }
        await finishFailed(o, item, e, startedAt);
        p.failed++;
      } finally {
        p.current.splice(p.current.indexOf(label), 1);
      }
      if (analysis?.errorKind === "robots") {
        await markItemSkipped(o.db, item.id, analysis.error ?? "skipped: robots.txt", Math.round(analysis.durationMs), o.clock());
        p.skipped++;
      } else if (analysis) {
        const status = await saveResult(o, item, analysis);
        if (status === "ok") p.ok++;
        else if (status === "blocked") p.blocked++;
        else p.failed++;
      }
      if (!o.signal.aborted) p.done++;
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, items.length)) }, worker));

  const reason = o.signal.aborted ? o.signal.reason : undefined;
  if (reason === "cancelled") {
    await settleUnfinished(o.db, batchId, "cancelled", o.clock());
    await markBatchFinished(o.db, batchId, o.clock());
  } else if (reason === "shutdown" || reason === "timeout") {
    // The next attempt runs them again; if there is none, the job's death fails them (settleBatchesOfDeadJobs).
    await settleUnfinished(o.db, batchId, "pending", o.clock());
  }
  const retryAt = reason === undefined ? await nextBlockedRetry(o.db, batchId) : null;
  if (reason === undefined && retryAt === null) await markBatchFinished(o.db, batchId, o.clock());
  return { batchId, counts: await batchCounts(o.db, batchId), retryAt, browserUnavailable, browserError };
}

async function saveResult(o: BatchRunOptions, item: WebBatchItemRow, a: SiteAnalysis): Promise<SiteAnalysis["status"]> {
  const now = o.clock();
  // This run was itself a retry when the item had been blocked before.
  const retries = item.status === "blocked" ? item.retry_count + 1 : item.retry_count;
  let nextAttempt: string | null = null;
  if (a.status === "blocked" && retries < o.blockedRetries) {
    const delay = blockedRetryDelay(retries + 1, a.blocked, o.random);
    nextAttempt = toInstant(now + delay);
  }
  await immediate(o.db, async (trx) => {
    const analysisId = await insertAnalysis(trx, a, { leadId: item.lead_id, orgnr: item.orgnr }, item.batch_id, now);
    await trx
      .updateTable("web_batch_item")
      .set({
        status: a.status,
        analysis_id: analysisId,
        finished_at: toInstant(now),
        duration_ms: Math.round(a.durationMs),
        error: a.error,
        result: JSON.stringify(itemSummary(a)),
        next_attempt_at: nextAttempt,
        retry_count: retries,
      })
      .where("id", "=", item.id)
      .execute();
  });
  o.log.debug(`${a.url}: ${a.status}${a.error ? ` (${a.error})` : ""} in ${Math.round(a.durationMs)}ms`);
  return a.status;
}

async function finishFailed(o: BatchRunOptions, item: WebBatchItemRow, e: unknown, startedAt: number): Promise<void> {
  const now = o.clock();
  await o.db
    .updateTable("web_batch_item")
    .set({
      status: "failed",
      finished_at: toInstant(now),
      error: errorMessage(e),
      next_attempt_at: null,
      duration_ms: now - startedAt,
    })
    .where("id", "=", item.id)
    .execute();
}

/** The short form kept on the item: what was found, by group. */
export function itemSummary(a: SiteAnalysis) {
  const names = (g: string) =>
    a.detections.filter((d) => d.group === g).map((d) => (d.version && g === "platform" ? `${d.name} ${d.version}` : d.name));
  return {
    platform: names("platform")[0] ?? null,
    payment: names("payment"),
    delivery: names("delivery"),
    carrier: names("carrier"),
    other: names("other"),
    via: a.via,
    pages: a.pages.length,
    ...(a.notes.length > 0 ? { notes: a.notes } : {}),
    ...(a.blocked ? { blocked: a.blocked.reason } : {}),
  };
}

function shortSite(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === "file:" ? (u.pathname.split("/").filter(Boolean).pop() ?? url) : u.host;
  } catch {
    return url;
  }
}
