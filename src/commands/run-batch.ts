import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { checkOrgnr } from "../core/domain/orgnr.ts";
import { ExitCode, UsageError } from "../core/errors.ts";
import { loadJobType } from "../job-types.ts";
import { retryPolicy } from "../core/queue/backoff.ts";
import type { RunningJob } from "../core/runtime/execute.ts";
import { rescueLost } from "./shared/rescue-lost.ts";
import { runTypeNow } from "./shared/run-now.ts";
import { assertChromium } from "../core/integrations/web/browser.ts";
import { needsBrowser, parseAnalysisType, parseBrowserMode, type BrowserMode } from "../core/web/analysis-types.ts";
import { batchReport, type BatchReport } from "../core/web/batch-report.ts";
import { batchProgressOf } from "../core/web/job-batch.ts";
import { checkFingerprintDir, loadFingerprints } from "../core/web/fingerprints/load.ts";
import { selectLeadItems, urlItems, type LeadSelector } from "../core/web/select.ts";
import { localSiteUrl, normaliseSiteUrl } from "../core/web/site-url.ts";
import { enqueueBatchJob, startBatches } from "../core/web/start-batches.ts";
import { MAX_BATCH_SIZE, prepareRetry, type BatchOptions, type ItemSpec } from "../core/web/store/batches.ts";
import { loadConfig, openContextWith, type CommandContext, type GlobalOptions } from "./shared/context.ts";
import { durationOption, intOption, positiveId } from "./shared/options.ts";
import { printJson, printLine } from "./shared/output.ts";
import { onStopSignals, type StopSignals } from "./shared/signals.ts";
import { batchLine, printBatchItems, progressLine, type ProgressLine } from "./web/render.ts";

export interface RunBatchOptions {
  type?: string;
  lead?: string[];
  from?: string;
  terminal?: string;
  notAnalysedSince?: string;
  limit?: string;
  url?: string[];
  retryFailed?: string;
  enqueue?: boolean;
  json?: boolean;
  browser?: string;
  allowPrivate?: boolean;
  allowHost?: string[];
  fingerprints?: string[];
  ignoreRobots?: boolean;
  concurrency?: string;
  browserPages?: string;
  delay?: string;
  timeout?: string;
  chromium?: string;
}

interface Selection {
  lead?: LeadSelector;
  urls?: string[];
}

export async function runBatchCommand(g: GlobalOptions, o: RunBatchOptions, stdin = () => readFileSync(0, "utf8")): Promise<number> {
  // Everything the user typed is checked before the database is touched.
  const retryBatch = o.retryFailed === undefined ? undefined : positiveId(o.retryFailed, "--retry-failed batch id");
  if (retryBatch === undefined && o.type === undefined)
    throw new UsageError("--type is required", {
      hint: "tech_analysis, checkout_scraping, full_analysis, ecommerce_detection or carrier_detection",
    });
  const type = o.type === undefined ? undefined : parseAnalysisType(o.type);
  const size = intOption(o.limit, "--limit", 1, MAX_BATCH_SIZE) ?? MAX_BATCH_SIZE;
  const selection = retryBatch === undefined ? parseSelection(o, stdin) : rejectSelectors(o);
  intOption(o.concurrency, "--concurrency", 1, 64);
  intOption(o.browserPages, "--browser-pages", 1, 16);
  durationOption(o.delay, "--delay");
  // The webTimeout setting refuses 0 too, but names it --web-timeout: run-batch's flag is --timeout.
  if (durationOption(o.timeout, "--timeout") === 0) throw new UsageError(`invalid --timeout "${o.timeout}": expected at least 1ms`);
  const cli = {
    webConcurrency: o.concurrency,
    webBrowserPages: o.browserPages,
    webDelay: o.delay,
    webTimeout: o.timeout,
    chromiumPath: o.chromium,
    webBrowser: o.browser,
    webAllowPrivate: o.allowPrivate ? true : undefined,
  };
  const config = loadConfig(g, cli);
  const browser: BrowserMode = parseBrowserMode(config.webBrowser, o.browser !== undefined ? "--browser" : "webBrowser setting");
  const allowHosts = (o.allowHost ?? []).map(allowHostArg);
  const fingerprints = (o.fingerprints ?? []).map(checkFingerprintDir);
  const configured = config.webFingerprints;
  if (configured && fingerprints.length === 0) checkFingerprintDir(configured);
  loadFingerprints(fingerprints.length > 0 ? fingerprints : configured ? [configured] : []); // a broken file is a usage error now, not in the job
  const offline = selection?.urls?.every((u) => u.startsWith("file:")) ?? false; // saved pages need no browser
  if (type && !o.enqueue && !offline && needsBrowser(type, browser)) assertChromium(config.chromiumPath);
  const options: BatchOptions = {
    ...(o.browser !== undefined ? { browser } : {}),
    ...(o.allowPrivate ? { allowPrivate: true } : {}),
    ...(allowHosts.length > 0 ? { allowHosts } : {}),
    ...(fingerprints.length > 0 ? { fingerprints } : {}),
    ...(o.ignoreRobots ? { ignoreRobots: true } : {}),
  };

  const ctx = await openContextWith(g, config);
  const signals = onStopSignals();
  try {
    await rescueLost(ctx); // a killed earlier run's batch job is taken back before --retry-failed judges it
    const now = ctx.clock();
    const maxAttempts = retryPolicy((await loadJobType("web.batch")).retry).maxAttempts;
    let batches: Array<{ batchId: number; jobId: number | null }>;
    if (retryBatch !== undefined) {
      const n = await prepareRetry(ctx.db, retryBatch);
      if (n === 0) {
        if (o.json) printJson({ batches: [], retried: 0 });
        else printLine(`batch ${retryBatch} has no failed, blocked or cancelled items`);
        return ExitCode.Ok;
      }
      batches = [{ batchId: retryBatch, jobId: o.enqueue ? await enqueueBatchJob(ctx.db, retryBatch, maxAttempts, now) : null }];
    } else {
      const items = await itemsOf(ctx, selection as Selection, now);
      if (items.length === 0) {
        if (o.json) printJson({ batches: [], sites: 0 });
        else printLine("nothing to analyse: no lead matches the selection");
        return ExitCode.Ok;
      }
      batches = await startBatches(
        ctx.db,
        {
          analysis: type as NonNullable<typeof type>,
          selector: selectorRecord(o),
          options,
          items,
          size,
          enqueue: Boolean(o.enqueue),
          maxAttempts,
        },
        now,
      );
    }

    if (o.enqueue) {
      if (o.json) printJson({ enqueued: batches });
      else for (const b of batches) printLine(`batch ${b.batchId}: job ${b.jobId} enqueued (run it with \`leadjobs process\`)`);
      return ExitCode.Ok;
    }
    return await runBatchesNow(
      ctx,
      batches.map((b) => b.batchId),
      o,
      signals,
    );
  } finally {
    signals.dispose();
    await ctx.close();
  }
}

async function runBatchesNow(ctx: CommandContext, batchIds: number[], o: RunBatchOptions, signals: StopSignals): Promise<number> {
  const { stop } = signals;
  const showProgress = Boolean(process.stderr.isTTY) && !o.json;
  const reports: Array<BatchReport & { job: number; state: string }> = [];
  let browserError: string | null = null;
  let exit: number = ExitCode.Ok;
  for (const batchId of batchIds) {
    if (stop.aborted) break;
    const run = await runTypeNow(ctx, "web.batch", { batch: batchId }, signals, {
      batchId,
      ...(showProgress ? { onProgress: (r: RunningJob) => drawProgress(batchProgressOf(r.progress)) } : {}),
    });
    if (showProgress) process.stderr.write("\r\u001b[2K");
    const report = await batchReport(ctx.db, batchId);
    const state = run.end.kind === "snoozed" ? "waiting" : run.end.kind;
    reports.push({ ...report, job: run.jobId, state });
    browserError ??= run.result?.browserError ?? null;
    if (run.end.kind === "dead" || run.end.kind === "retry") {
      exit = ExitCode.Failure;
      ctx.log.error(`batch ${batchId} (job ${run.jobId}) failed: ${run.end.error}`);
    }
    if (run.end.kind === "cancelled") exit = ExitCode.Failure;
  }
  if (o.json) {
    printJson({ batches: reports });
  } else {
    for (const r of reports) {
      printLine(
        batchLine(r) + (r.state === "waiting" ? ` — blocked sites are tried again later by \`leadjobs process\` (job ${r.job})` : ""),
      );
      await printBatchItems(r);
    }
  }
  if (browserError) {
    process.stderr.write(`leadjobs: some sites needed a browser: ${browserError}\n`);
    return ExitCode.Unavailable;
  }
  return exit;
}

function drawProgress(p: ProgressLine | undefined): void {
  if (!p) return;
  process.stderr.write(`\r\u001b[2K${progressLine(p, process.stderr.columns || 80)}`);
}

function rejectSelectors(o: RunBatchOptions): undefined {
  if (o.lead || o.from || o.terminal || o.notAnalysedSince || o.url || o.type) {
    throw new UsageError("--retry-failed takes no --type or selector: it reruns the failed, blocked and cancelled items of that batch");
  }
  return undefined;
}

function parseSelection(o: RunBatchOptions, stdin: () => string): Selection {
  const leadSelectors = o.lead || o.from || o.terminal || o.notAnalysedSince;
  if (o.url && leadSelectors)
    throw new UsageError(
      "--url analyses sites without leads: it cannot be combined with --lead, --from, --terminal or --not-analysed-since",
    );
  for (const [list, flag] of [
    [o.url, "--url"],
    [o.lead, "--lead"],
  ] as const) {
    // `--url ''` leaves an empty list: without this it was "nothing to analyse" (or, for --lead, every lead).
    if (list?.length === 0) throw new UsageError(`${flag} needs a value`);
  }
  if (o.url) return { urls: o.url.map(siteArg) };
  if (!leadSelectors)
    throw new UsageError("choose what to analyse: --lead ID, --from FILE, --terminal NAME, --not-analysed-since 90d, or --url URL");
  const lead: LeadSelector = {};
  const ids: number[] = (o.lead ?? []).map((v) => positiveId(v, "--lead id"));
  const orgnrs: string[] = [];
  const urls: string[] = [];
  if (o.from !== undefined) {
    const text = o.from === "-" ? stdin() : readText(o.from);
    text.split(/\r?\n/).forEach((raw, i) => {
      const line = raw.trim();
      if (!line || line.startsWith("#")) return;
      if (/^\d{1,9}$/.test(line)) return void ids.push(Number(line));
      const nr = checkOrgnr(line);
      if (nr.ok) return void orgnrs.push(nr.orgnr);
      if (/^(?:https?|file):\/\//i.test(line) || /^[\w-]+(\.[\w-]+)+(\/\S*)?$/.test(line)) return void urls.push(siteArg(line));
      throw new UsageError(
        `line ${i + 1} of ${o.from === "-" ? "stdin" : o.from} is neither a lead id, an organisationsnummer nor a web address: "${line}"`,
      );
    });
    if (ids.length + orgnrs.length + urls.length === 0)
      throw new UsageError(`no lead ids, organisationsnummer or addresses in ${o.from === "-" ? "stdin" : o.from}`);
    if (urls.length > 0 && (ids.length + orgnrs.length > 0 || o.lead || o.terminal || o.notAnalysedSince)) {
      throw new UsageError(`${o.from === "-" ? "stdin" : o.from} mixes web addresses with leads: give one kind per run`);
    }
    if (urls.length > 0) return { urls };
  }
  if (ids.length > 0) lead.leadIds = ids;
  if (orgnrs.length > 0) lead.orgnrs = orgnrs;
  if (o.terminal !== undefined) lead.terminal = o.terminal;
  const since = durationOption(o.notAnalysedSince, "--not-analysed-since");
  if (since !== undefined) lead.notAnalysedSinceMs = since;
  return { lead };
}

async function itemsOf(ctx: CommandContext, s: Selection, now: number): Promise<ItemSpec[]> {
  if (s.urls) return urlItems(s.urls);
  return selectLeadItems(ctx.db, s.lead ?? {}, now);
}

/** A site on the command line: a web address, a file:// URL, or a local file or saved-page directory. */
function siteArg(value: string): string {
  const url = localSiteUrl(value) ?? normaliseSiteUrl(value);
  if (url.startsWith("file:") && !localFileExists(url)) throw new UsageError(`no such file or directory: ${value}`);
  return url;
}

function localFileExists(url: string): boolean {
  try {
    return existsSync(fileURLToPath(url));
  } catch {
    return false; // file://host/…: not a local path
  }
}

/** --allow-host HOST[:PORT], as a URL's host is written (lower case, IPv6 in brackets). */
function allowHostArg(value: string): string {
  const host = value.trim().toLowerCase();
  if (!/^(?:\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(?::\d{1,5})?$/.test(host))
    throw new UsageError(`invalid --allow-host "${value}": expected HOST or HOST:PORT`);
  return host;
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

function selectorRecord(o: RunBatchOptions): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  if (o.lead) r.leads = o.lead;
  if (o.from) r.from = o.from;
  if (o.terminal) r.terminal = o.terminal;
  if (o.notAnalysedSince) r.notAnalysedSince = o.notAnalysedSince;
  if (o.url) r.urls = o.url.length;
  return r;
}
