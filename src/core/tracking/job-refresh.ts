import * as z from "zod";
import { immediate } from "../db/handle.ts";
import { attemptsWithOutcome } from "../queue/stats.ts";
import { checkOrgnr } from "../domain/orgnr.ts";
import { errorMessage, UnavailableError, UsageError } from "../errors.ts";
import { readCareers, type CareersRead } from "../hiring/read-careers.ts";
import { recordHiring, type HiringChange } from "../hiring/store.ts";
import { refreshKey } from "./due-refreshes.ts";
import { recordRefreshOutcome, recordRefreshOutcomeInTx, type RefreshAttempt } from "./refresh-state.ts";
import { refreshAnalysisType, refreshTarget, type RefreshTarget } from "./refresh-target.ts";
import { analyseSite, type SiteAnalysis, type SiteStatus } from "../web/analyse-site.ts";
import type { AnalysisType } from "../web/analysis-types.ts";
import { blockedRetryDelay } from "../web/blocked.ts";
import { createWebDeps } from "../web/deps.ts";
import { insertAnalysis } from "../web/analyses.ts";
import { PermanentJobError, RetryLaterError } from "../errors.ts";
import type { JobContext, JobDefinition, JobOutput } from "../jobs/types.ts";

const payload = z.strictObject({
  orgnr: z
    .string()
    .refine((v) => /^\d{10}$/.test(v) && checkOrgnr(v).ok, "expected a valid 10-digit organisationsnummer")
    .describe("the tracked company's organisationsnummer, 10 digits"),
});
type Payload = z.infer<typeof payload>;
type Ctx = JobContext<Payload>;

/** A site that was visited: the analysis type run on it, how it ended and the platform found. */
interface VisitedSite {
  orgnr: string;
  url: string;
  analysis: AnalysisType;
  status: SiteStatus;
  platform: string | null;
}

/** What the careers page said, as a refresh's result shows it. */
export type RefreshCareersSummary = NonNullable<ReturnType<typeof careersSummary>>;

/** What a refresh did: skipped (no website), ok (analysed, careers page read) or failed (recorded). */
export type CompanyRefreshResult =
  | { orgnr: string; outcome: "skipped"; message: string | null }
  | (VisitedSite & { outcome: "ok"; analysisId: number; careers: RefreshCareersSummary | null; notes: string[] })
  | (VisitedSite & { outcome: "failed"; message: string; analysisId: number });

/**
 * Refreshes one tracked company; enqueued by the rank cadence of `leadjobs enqueue`. It
 * analyses the company's website (the `refreshAnalysis` type, default full_analysis), reads
 * its careers page for open positions (the hiring signal), saves both with history, and
 * records the outcome in the company's refresh state, once per job:
 * - `ok` when the site was analysed;
 * - `skipped` when there is no website (not a failure);
 * - a blocked site is tried again later (15 min, 1 h, 4 h or its Retry-After; the attempt is
 *   given back), up to `webBlockedRetries` times, and only then recorded as `failed`;
 * - a site that fails for a passing reason (timeout, network, HTTP 5xx) is retried with the
 *   queue's backoff; it is recorded as `failed` when the job will not be retried any more
 *   (the last attempt, or a failure a retry cannot fix such as HTTP 404 or a refused address).
 * A site that fails is a result, not a dead job: the job completes with outcome `failed`,
 * and failures in a row make the company a problem. Errors of our own (a bug, the database)
 * still fail the job, and are recorded as `failed` when it will not be retried.
 */
export const companyRefreshJob: JobDefinition<Payload, CompanyRefreshResult> = {
  type: "company.refresh",
  summary: "refreshes a tracked company: website analysis (refreshAnalysis) and the careers page's open positions",
  // One company's website and careers page, each request with its own timeout.
  timeoutMs: 15 * 60_000,
  payload,
  // The key the tick gives each refresh: one live refresh per company however it was enqueued.
  dedupeKey: ({ orgnr }) => refreshKey(orgnr),
  async run(ctx) {
    const type = refreshAnalysisType(ctx.config); // a bad setting kills the job, not the company
    const target = await refreshTarget(ctx.db, ctx.payload.orgnr);
    if (!target) throw new PermanentJobError(`company ${ctx.payload.orgnr} is no longer in the database`);
    if (!target.url) {
      await record(ctx, { outcome: "skipped", message: target.reason });
      return { result: { orgnr: target.orgnr, outcome: "skipped", message: target.reason }, metrics: { refreshSkipped: 1 } };
    }
    try {
      return await refreshSite(ctx, target as RefreshTarget & { url: string }, type);
    } catch (e) {
      if (isFinal(ctx, e))
        await record(ctx, { outcome: "failed", message: ctx.signal.reason === "timeout" ? "the refresh timed out" : errorMessage(e) });
      throw e;
    }
  },
};

async function refreshSite(
  ctx: Ctx,
  target: RefreshTarget & { url: string },
  type: AnalysisType,
): Promise<JobOutput<CompanyRefreshResult>> {
  const { analysis, careers } = await visit(ctx, target.url, type);
  ctx.signal.throwIfAborted();
  const now = ctx.now();
  const subject = { orgnr: target.orgnr, leadId: target.leadId };
  const base: VisitedSite = { orgnr: target.orgnr, url: target.url, analysis: type, status: analysis.status, platform: analysis.platform };

  if (analysis.status === "ok") {
    const saved = await immediate(ctx.db, async (trx) => {
      const analysisId = await insertAnalysis(trx, analysis, subject, null, now);
      const hiring = careers?.complete ? await recordHiring(trx, target.orgnr, careers, analysisId, now) : null;
      await recordRefreshOutcomeInTx(
        trx,
        target.orgnr,
        { outcome: "ok", message: okMessage(analysis, careers), dueFrom: ctx.job.enqueuedAt },
        now,
        ctx.config.refreshFailureThreshold,
      );
      return { analysisId, hiring };
    });
    return {
      result: {
        ...base,
        outcome: "ok",
        analysisId: saved.analysisId,
        careers: careersSummary(careers, saved.hiring),
        notes: analysis.notes,
      },
      metrics: { refreshOk: 1, ...(saved.hiring ? { openPositions: saved.hiring.openPositions } : {}) },
    };
  }

  if (analysis.status === "blocked") {
    const retries = await blockedRetries(ctx);
    if (retries < ctx.config.webBlockedRetries) {
      await immediate(ctx.db, (trx) => insertAnalysis(trx, analysis, subject, null, now));
      const delay = blockedRetryDelay(retries + 1, analysis.blocked, ctx.random);
      ctx.addMetrics({ refreshBlocked: 1 });
      throw new RetryLaterError(
        `${analysis.error ?? "blocked"}: tried again later (retry ${retries + 1} of ${ctx.config.webBlockedRetries})`,
        delay,
      );
    }
    const message = `${analysis.error ?? "blocked"} (still after ${retries} retr${retries === 1 ? "y" : "ies"})`;
    const analysisId = await saveFailure(ctx, analysis, subject, message, now);
    return { result: { ...base, outcome: "failed", message, analysisId }, metrics: { refreshFailed: 1 } };
  }

  // Failed: a passing failure is retried by the queue while attempts are left.
  if (passing(analysis) && ctx.job.attempt < ctx.job.maxAttempts) {
    await immediate(ctx.db, (trx) => insertAnalysis(trx, analysis, subject, null, now));
    throw new Error(analysis.error ?? "the website analysis failed");
  }
  const message = analysis.error ?? "the website analysis failed";
  const analysisId = await saveFailure(ctx, analysis, subject, message, now);
  return { result: { ...base, outcome: "failed", message, analysisId }, metrics: { refreshFailed: 1 } };
}

/** Analyses the site (plain HTTP only, with a note, when the browser it needs is missing), then reads its careers page. */
async function visit(ctx: Ctx, url: string, type: AnalysisType): Promise<{ analysis: SiteAnalysis; careers: CareersRead | null }> {
  const deps = createWebDeps(ctx.config, ctx.now);
  try {
    let analysis: SiteAnalysis;
    try {
      analysis = await analyseSite(url, type, deps, ctx.signal);
    } catch (e) {
      if (!(e instanceof UnavailableError)) throw e;
      // No Chromium is this machine's problem, not the company's: analyse what plain HTTP can see.
      const plain = createWebDeps(ctx.config, ctx.now, { browserMode: "never" });
      try {
        analysis = await analyseSite(url, type, plain, ctx.signal);
      } finally {
        await plain.close();
      }
      analysis.notes.push(`no browser (${e.message}): analysed over plain HTTP only`);
    }
    const start = analysis.finalUrl ?? url;
    const careers =
      analysis.status === "ok" && /^https?:/i.test(start)
        ? await readCareers(deps, { startUrl: start, links: analysis.links, maxPages: deps.maxPages, now: ctx.now(), signal: ctx.signal })
        : null;
    return { analysis, careers };
  } finally {
    await deps.close();
  }
}

async function saveFailure(
  ctx: Ctx,
  analysis: SiteAnalysis,
  subject: { orgnr: string; leadId: number | null },
  message: string,
  now: number,
): Promise<number> {
  return immediate(ctx.db, async (trx) => {
    const id = await insertAnalysis(trx, analysis, subject, null, now);
    await recordRefreshOutcomeInTx(
      trx,
      subject.orgnr,
      { outcome: "failed", message, dueFrom: ctx.job.enqueuedAt },
      now,
      ctx.config.refreshFailureThreshold,
    );
    return id;
  });
}

function record(ctx: Ctx, a: RefreshAttempt) {
  return recordRefreshOutcome(
    ctx.db,
    ctx.payload.orgnr,
    { ...a, dueFrom: ctx.job.enqueuedAt },
    ctx.now(),
    ctx.config.refreshFailureThreshold,
  );
}

/** Timeouts, network trouble and server errors pass; a missing page, a refused address or a non-HTML site do not. */
function passing(a: SiteAnalysis): boolean {
  if (a.errorKind === "timeout" || a.errorKind === "network" || a.errorKind === "tls") return true;
  return a.errorKind === "http-status" && (a.pages[0]?.status ?? 0) >= 500;
}

/** This job's blocked tries so far: each one gave its attempt back (snoozed). */
async function blockedRetries(ctx: Ctx): Promise<number> {
  return attemptsWithOutcome(ctx.db, ctx.job.id, "snoozed");
}

/** Whether the job ends for good with this error (so the failure is recorded once for the job). */
function isFinal(ctx: Ctx, e: unknown): boolean {
  if (e instanceof RetryLaterError) return false;
  const reason: unknown = ctx.signal.aborted ? ctx.signal.reason : undefined;
  if (reason === "cancelled" || reason === "shutdown" || reason === "lease-lost") return false;
  return e instanceof PermanentJobError || e instanceof UsageError || ctx.job.attempt >= ctx.job.maxAttempts;
}

function okMessage(a: SiteAnalysis, careers: CareersRead | null): string {
  const parts = [a.platform ?? "no platform found"];
  if (careers?.complete)
    parts.push(
      careers.careersUrl ? `${careers.positions.length} open position${careers.positions.length === 1 ? "" : "s"}` : "no careers page",
    );
  else if (careers) parts.push("careers page not read");
  return parts.join("; ");
}

function careersSummary(c: CareersRead | null, h: HiringChange | null) {
  if (!c) return null;
  return {
    complete: c.complete,
    careersUrl: c.careersUrl,
    source: c.source,
    openPositions: c.positions.length,
    changed: h?.changed ?? null,
    opened: h?.opened.map((p) => p.title) ?? [],
    closed: h?.closed ?? [],
    fetched: c.fetched,
    notes: c.notes,
  };
}
