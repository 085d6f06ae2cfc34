import * as z from "zod";
import { ANALYSIS_TYPES, type AnalysisType } from "./schema.ts";
import { immediate } from "../db/handle.ts";
import { attachBatch } from "../queue/batch-jobs.ts";
import { parseDuration } from "../time.ts";
import { runBatch, type BatchProgress } from "./batch-runner.ts";
import { createWebDeps } from "./deps.ts";
import { selectLeadItems, urlItems } from "./select.ts";
import { getBatch, insertBatch, MAX_BATCH_SIZE, type BatchOptions, type StatusCounts } from "./store/batches.ts";
import { durationField } from "../jobs/duration-field.ts";
import { RetryLaterError } from "../errors.ts";
import type { JobContext, JobDefinition, JobProgress } from "../jobs/types.ts";

const options = z.strictObject({
  browser: z.enum(["auto", "always", "never"]).optional().describe("render pages in Chromium: only when needed (auto), always or never"),
  allowPrivate: z.boolean().optional().describe("also fetch private, loopback and link-local addresses"),
  allowHosts: z.array(z.string().min(1)).optional().describe("host[:port]s allowed although their address is private"),
  fingerprints: z.array(z.string().min(1)).optional().describe("extra Wappalyzer-format fingerprint directories"),
  ignoreRobots: z.boolean().optional().describe("do not read robots.txt"),
});

/**
 * Either an existing batch (`run-batch` creates batches first and runs or enqueues one job
 * each), or a selection that the job turns into one batch when it first runs: the form a
 * schedule uses ("0 2 * * *": checkout_scraping of leads not analysed for 90 days).
 */
const payload = z.union([
  z.strictObject({ batch: z.number().int().positive().describe("an existing batch (run-batch --enqueue creates them)") }),
  z.strictObject({
    analysis: z.enum(ANALYSIS_TYPES).describe("what to find out about each site"),
    select: z
      .strictObject({
        leads: z.array(z.number().int().positive()).max(MAX_BATCH_SIZE).optional().describe("lead ids"),
        urls: z.array(z.string().min(1)).max(MAX_BATCH_SIZE).optional().describe("web addresses, without leads"),
        terminal: z.string().min(1).optional().describe("the leads of this terminal (name, id or a unique prefix)"),
        notAnalysedSince: durationField.optional().describe("leads whose website was not analysed within this time (90d)"),
        limit: z.number().int().min(1).max(MAX_BATCH_SIZE).optional().describe("at most this many sites"),
      })
      .describe("the sites: leads, addresses, or a terminal's leads"),
    options: options.optional().describe("how to fetch"),
  }),
]);
type Payload = z.infer<typeof payload>;

/** A finished batch: its counts by status, and the sites that needed the missing browser. */
export interface WebBatchResult {
  batch: number;
  analysis: AnalysisType;
  counts: StatusCounts;
  browserUnavailable: number;
  /** The error of the first site that needed the missing browser, for the one-line hint. */
  browserError: string | null;
}

export const webBatchJob: JobDefinition<Payload, WebBatchResult> = {
  type: "web.batch",
  summary: "analyses a batch of up to 100 websites: platforms, checkouts, carriers (see run-batch)",
  payload,
  limits: { payloadBytes: 512 * 1024 }, // up to 100 URLs of up to 2048 characters
  retry: { maxAttempts: 3 },
  // 100 sites take about two minutes; after an hour something hangs (a browser that never answers),
  // and the worker ends the attempt rather than keep its slot and lease for ever.
  timeoutMs: 60 * 60_000,
  batchOf: (p) => ("batch" in p ? p.batch : null),
  async checkReferences(p, ctx) {
    if ("batch" in p) await getBatch(ctx.db, p.batch);
  },
  async run(ctx) {
    const batchId =
      ctx.job.batchId ?? ("batch" in ctx.payload ? await attachNamedBatch(ctx, ctx.payload.batch) : await batchFromSelection(ctx));
    const batch = await getBatch(ctx.db, batchId);
    const o = JSON.parse(batch.options) as BatchOptions;
    const deps = createWebDeps(ctx.config, ctx.now, {
      browserMode: o.browser,
      allowPrivate: o.allowPrivate,
      allowHosts: o.allowHosts,
      fingerprintDirs: o.fingerprints,
      ignoreRobots: o.ignoreRobots,
    });
    let result: Awaited<ReturnType<typeof runBatch>>;
    try {
      result = await runBatch(batchId, {
        db: ctx.db,
        deps,
        analysis: batch.analysis,
        concurrency: ctx.config.webConcurrency,
        blockedRetries: ctx.config.webBlockedRetries,
        clock: ctx.now,
        random: ctx.random,
        signal: ctx.signal,
        log: ctx.log,
        progress: (p) => ctx.progress({ ...p }),
      });
    } finally {
      await deps.close();
    }
    if (ctx.signal.aborted) throw new Error(`batch ${batchId} stopped (${String(ctx.signal.reason)})`);
    const c = result.counts;
    const metrics = { sites: c.ok + c.failed + c.blocked, ok: c.ok, failed: c.failed, blocked: c.blocked, skipped: c.skipped };
    if (result.retryAt) {
      ctx.addMetrics(metrics);
      throw new RetryLaterError(
        `batch ${batchId}: ${c.blocked} blocked site(s), tried again from ${result.retryAt}`,
        Date.parse(result.retryAt) - ctx.now(),
      );
    }
    return {
      result: {
        batch: batchId,
        analysis: batch.analysis,
        counts: c,
        browserUnavailable: result.browserUnavailable,
        browserError: result.browserError,
      },
      metrics,
    };
  },
};

/** A web.batch job's progress as the batch runner reports it; undefined before its first report. */
export function batchProgressOf(p: JobProgress | undefined): BatchProgress | undefined {
  if (!p) return undefined;
  const { done, total, ok, failed, blocked, skipped, current, message } = p;
  if (
    typeof done !== "number" ||
    typeof total !== "number" ||
    typeof ok !== "number" ||
    typeof failed !== "number" ||
    typeof blocked !== "number" ||
    typeof skipped !== "number" ||
    !Array.isArray(current) ||
    typeof message !== "string"
  )
    return undefined;
  return { done, total, ok, failed, blocked, skipped, current, message };
}

/**
 * Attaches a job to the batch its payload names when it was enqueued without (by a path that
 * does not apply `batchOf`, or before it did), so that from its first run the batch sees it.
 */
async function attachNamedBatch(ctx: JobContext<Payload>, batchId: number): Promise<number> {
  await immediate(ctx.db, (trx) => attachBatch(trx, ctx.job.id, batchId));
  return batchId;
}

async function batchFromSelection(ctx: JobContext<Payload>): Promise<number> {
  const p = ctx.payload as Extract<Payload, { analysis: string }>;
  const now = ctx.now();
  return immediate(ctx.db, async (trx) => {
    const items = p.select.urls
      ? urlItems(p.select.urls)
      : await selectLeadItems(
          trx,
          {
            ...(p.select.leads ? { leadIds: p.select.leads } : {}),
            ...(p.select.terminal ? { terminal: p.select.terminal } : {}),
            ...(p.select.notAnalysedSince ? { notAnalysedSinceMs: parseDuration(p.select.notAnalysedSince) } : {}),
            limit: p.select.limit ?? MAX_BATCH_SIZE,
          },
          now,
        );
    const id = await insertBatch(
      trx,
      { analysis: p.analysis, selector: { ...p.select, job: ctx.job.id }, options: p.options ?? {}, items },
      now,
    );
    await attachBatch(trx, ctx.job.id, id);
    return id;
  });
}
