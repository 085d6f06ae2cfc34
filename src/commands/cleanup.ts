import { join } from "node:path";
import { countHistory } from "../core/queue/prune.ts";
import { envName } from "../core/config.ts";
import { damagedDatabase } from "../core/cleanup/db-check-status.ts";
import { countDueLinks } from "../core/cleanup/links.ts";
import { countOldViews } from "../core/cleanup/views.ts";
import { ExitCode, UsageError } from "../core/errors.ts";
import { removeStaleTempFiles, subfolders } from "../core/integrations/storage.ts";
import { toInstant } from "../core/time.ts";
import { loadConfig, openContextWith, type GlobalOptions } from "./shared/context.ts";
import { printJson, printLine, stdoutIsTty } from "./shared/output.ts";
import { runTypeNow } from "./shared/run-now.ts";
import { onStopSignals } from "./shared/signals.ts";

export interface CleanupOptions {
  dryRun?: boolean;
  viewRetention?: string;
  jobRetention?: string;
  deadJobRetention?: string;
  now?: string;
  json?: boolean;
}

/**
 * `leadjobs cleanup`: runs links.cleanup then queue.prune now. With --dry-run it only counts
 * what they would do and writes nothing, not even a job record.
 */
export async function cleanupCommand(g: GlobalOptions, o: CleanupOptions): Promise<number> {
  const cli = { viewRetention: o.viewRetention, jobRetention: o.jobRetention, deadJobRetention: o.deadJobRetention };
  const config = loadConfig(g, cli); // a bad duration (flag, env or file) is exit 2 here
  const retention = { views: config.viewRetention, jobs: config.jobRetention, dead: config.deadJobRetention };
  // A zero retention would delete all history (and the jobs' payloads refuse it): refused
  // before anything runs, not after the first of the two jobs has written.
  for (const [key, flag] of [
    ["viewRetention", "--view-retention"],
    ["jobRetention", "--job-retention"],
    ["deadJobRetention", "--dead-job-retention"],
  ] as const) {
    const what = cli[key] !== undefined ? `${flag} "${cli[key]}"` : `${key} setting (${envName(key)} or the config file)`;
    if (config[key] <= 0) throw new UsageError(`invalid ${what}: a retention must be longer than 0`);
  }
  // A dry run writes nothing, so it never creates a database either (a typo in --db is exit 2).
  const ctx = await openContextWith(g, config, { now: o.now, readOnly: o.dryRun });
  const signals = onStopSignals();
  try {
    const now = ctx.clock();
    if (o.dryRun) {
      const links = await countDueLinks(ctx.db, now);
      const views = await countOldViews(ctx.db, now - retention.views);
      const history = await countHistory(ctx.db, { finishedBefore: now - retention.jobs, deadBefore: now - retention.dead });
      const doc = {
        dryRun: true,
        links: { wouldDeactivate: links.selected, expired: links.expired, maxViews: links.maxViews },
        views: { wouldDelete: views, before: toInstant(now - retention.views) },
        history: { wouldDelete: history },
      };
      if (o.json) printJson(doc);
      else {
        printLine(`dry run: would deactivate ${links.selected} share link(s) (${links.expired} expired, ${links.maxViews} at max views)`);
        printLine(`dry run: would delete ${views} share-link view(s) from before ${doc.views.before}`);
        printLine(
          `dry run: would delete ${history.jobs} completed/cancelled job(s), ${history.deadJobs} dead job(s), ${history.attempts} attempt(s), ${history.commandRuns} command run(s)`,
        );
      }
      return ExitCode.Ok;
    }

    const payloadIf = (entries: Array<[string, string | undefined]>) => Object.fromEntries(entries.filter(([, v]) => v !== undefined));
    const linksRun = await runTypeNow(ctx, "links.cleanup", payloadIf([["viewRetention", o.viewRetention]]), signals);
    const pruneRun = await runTypeNow(
      ctx,
      "queue.prune",
      payloadIf([
        ["jobRetention", o.jobRetention],
        ["deadJobRetention", o.deadJobRetention],
      ]),
      signals,
    );
    // The file's structure, last: the nightly run is where a check of the whole file costs nobody.
    const checkRun = ctx.store.dialect === "sqlite" ? await runTypeNow(ctx, "db.check", {}, signals) : undefined;
    // What a render killed mid-write (kill -9) left beside the invoice PDFs: no later run would take it away.
    const tempFiles = config.storageRoot
      ? subfolders(join(config.storageRoot, "invoices")).reduce((n, dir) => n + removeStaleTempFiles(dir), 0)
      : 0;
    const linksReport = linksRun.result;
    const history = pruneRun.result;
    const damage = checkRun?.result?.problems ?? [];
    const errors = [linksRun, pruneRun, ...(checkRun ? [checkRun] : [])]
      .filter((r) => r.end.kind !== "completed")
      .map((r) => `job ${r.jobId}: ${"error" in r.end ? r.end.error : r.end.kind}`);
    const failedLinks = linksReport?.links.failed ?? 0;
    for (const e of errors) ctx.log.error(`cleanup failed: ${e}`);
    for (const f of linksReport?.links.failures.slice(0, 5) ?? [])
      ctx.log.error(`share link ${f.linkId} could not be deactivated: ${f.error}`);
    if (damage.length > 0) ctx.log.error(damagedDatabase(damage, ctx.store.path));
    const ok = errors.length === 0 && failedLinks === 0 && damage.length === 0;
    if (o.json) {
      printJson({
        dryRun: false,
        ok,
        jobs: { links: linksRun.jobId, history: pruneRun.jobId, check: checkRun?.jobId ?? null },
        links: linksReport?.links ?? null,
        views: linksReport?.views ?? null,
        history: history ?? null,
        check: checkRun?.result ?? null,
        pdfTempFiles: { removed: tempFiles },
        errors,
      });
    } else if (stdoutIsTty() || !ok) {
      const l = linksReport?.links;
      if (l)
        printLine(
          `share links: ${l.deactivated} deactivated (${l.expired} expired, ${l.maxViews} at max views), ${l.skipped} skipped (changed meanwhile), ${l.failed} failed, in ${l.batches} batch(es)`,
        );
      if (linksReport) printLine(`share-link views: ${linksReport.views.deleted} deleted (older than ${linksReport.views.before})`);
      if (history)
        printLine(
          `queue history: ${history.jobs} completed/cancelled job(s), ${history.deadJobs} dead job(s), ${history.attempts} attempt(s), ${history.commandRuns} command run(s) deleted`,
        );
      if (tempFiles > 0) printLine(`invoice PDFs: ${tempFiles} temporary file(s) of killed renders removed`);
      if (checkRun?.result) printLine(`database file: ${damage.length > 0 ? "DAMAGED" : "sound"} (PRAGMA quick_check)`);
    }
    return ok ? ExitCode.Ok : ExitCode.Failure;
  } finally {
    signals.dispose();
    await ctx.close();
  }
}
