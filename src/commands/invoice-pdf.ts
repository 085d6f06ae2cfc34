import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ExitCode, UsageError } from "../core/errors.ts";
import { loadJobType } from "../job-types.ts";
import { storedInvoicePdfPayload, type InvoicePdfResult } from "../core/invoice/job-pdf.ts";
import { INVOICE_PDF_JOB, invoicePdfKey, invoiceState, pendingInvoices } from "../core/invoice/pending.ts";
import { fileSha256, fileSignature } from "../core/integrations/storage.ts";
import { retryPolicy } from "../core/queue/backoff.ts";
import { enqueueJobs } from "../core/queue/enqueue.ts";
import type { AttemptEnd } from "../core/queue/finish.ts";
import { loadConfig, openContextWith, type GlobalOptions } from "./shared/context.ts";
import { intOption, positiveId } from "./shared/options.ts";
import { printJson, printLine, stdoutIsTty } from "./shared/output.ts";
import { rescueLost } from "./shared/rescue-lost.ts";
import { runDueJobs, runTypeNow } from "./shared/run-now.ts";
import { onStopSignals } from "./shared/signals.ts";

export interface InvoicePdfOptions {
  id?: string;
  pending?: boolean;
  out?: string;
  limit?: string;
  now?: string;
  json?: boolean;
}

interface Outcome {
  invoiceId: number;
  jobId: number;
  outcome: AttemptEnd["kind"];
  number?: number | null;
  path?: string;
  sha256?: string;
  pages?: number;
  error?: string;
}

/**
 * `leadjobs invoice-pdf --id ID | --pending`: a thin front for invoice.pdf jobs. --pending
 * queues a job for every issued invoice whose PDF is missing or out of date (one live job per
 * invoice) and runs the due invoice.pdf jobs here, one at a time.
 */
export async function invoicePdfCommand(g: GlobalOptions, o: InvoicePdfOptions): Promise<number> {
  if ((o.id === undefined) === !o.pending) throw new UsageError("give either --id ID or --pending");
  const id = o.id === undefined ? undefined : positiveId(o.id, "--id");
  const limit = intOption(o.limit, "--limit", 1);
  if (limit !== undefined && !o.pending) throw new UsageError("--limit only goes with --pending");
  if (o.out !== undefined && o.out.trim() === "") throw new UsageError("--out needs a directory");
  const root = o.out === undefined ? undefined : resolve(o.out);
  if (root !== undefined) checkOutDirectory(o.out as string, root);
  const config = loadConfig(g, { storageRoot: root });
  if (!config.storageRoot) throw new UsageError("no storage root: pass --out DIR or set LEADJOBS_STORAGE_ROOT");

  const ctx = await openContextWith(g, config, { now: o.now });
  const signals = onStopSignals();
  try {
    await rescueLost(ctx); // a killed earlier run's job is taken back before choosing what to render
    const outcomes: Outcome[] = [];
    let skipped: number[] = [];
    if (id !== undefined) {
      const state = await invoiceState(ctx.db, id);
      if (!state) throw new UsageError(`no invoice with id ${id}`, { code: "NOT_FOUND" });
      if (state === "draft") throw new UsageError(`invoice ${id} is a draft: only issued invoices get a PDF`);
      const run = await runTypeNow(ctx, INVOICE_PDF_JOB, { invoiceId: id }, signals);
      outcomes.push(outcomeOf(id, run.jobId, run.end));
    } else {
      const pending = await pendingInvoices(ctx.db, limit, {
        files: { on: { signature: fileSignature, sha256: fileSha256 }, now: ctx.clock() },
      });
      skipped = pending.failed;
      const attempts = retryPolicy((await loadJobType(INVOICE_PDF_JOB)).retry).maxAttempts;
      await enqueueJobs(
        ctx.db,
        pending.ids.map((invoiceId) => ({
          type: INVOICE_PDF_JOB,
          payload: { invoiceId },
          maxAttempts: attempts,
          dedupeKey: invoicePdfKey(invoiceId),
        })),
        ctx.clock(),
      );
      await runDueJobs(ctx, [INVOICE_PDF_JOB], signals, {
        onJobEnd: (run, end) => outcomes.push(outcomeOf(storedInvoicePdfPayload(run.job.payload).invoiceId, run.job.id, end)),
      });
    }

    const rendered = outcomes.filter((x) => x.outcome === "completed");
    const dead = outcomes.filter((x) => x.outcome === "dead");
    const retrying = outcomes.filter((x) => x.outcome === "retry" || x.outcome === "snoozed");
    for (const x of [...dead, ...retrying])
      ctx.log.error(`invoice ${x.invoiceId} (job ${x.jobId}) ${x.outcome === "dead" ? "failed" : "failed, will be retried"}: ${x.error}`);
    if (skipped.length > 0)
      ctx.log.warn(
        `${skipped.length} invoice(s) skipped: their PDF job died after their last change (${skipped.slice(0, 10).join(", ")}${skipped.length > 10 ? ", ..." : ""}); fix them or \`leadjobs jobs retry\``,
      );
    if (o.json) {
      printJson({ rendered: rendered.length, failed: dead.length, retrying: retrying.length, skipped, invoices: outcomes });
    } else if (stdoutIsTty() || dead.length > 0 || retrying.length > 0) {
      for (const x of rendered)
        printLine(`invoice ${x.invoiceId} (nr ${x.number}): ${x.path} (${x.pages} page${x.pages === 1 ? "" : "s"})`);
      printLine(
        `${rendered.length} invoice PDF(s) rendered, ${dead.length} failed, ${retrying.length} to retry${skipped.length ? `, ${skipped.length} skipped` : ""}`,
      );
    }
    const ok = id !== undefined ? rendered.length === 1 : dead.length === 0;
    return ok ? ExitCode.Ok : ExitCode.Failure;
  } finally {
    signals.dispose();
    await ctx.close();
  }
}

/** --out must be a directory, or a path to one that can be made: exit 2 when it or a parent is a file. */
function checkOutDirectory(given: string, root: string): void {
  for (let dir = root; ; dir = dirname(dir)) {
    let found: ReturnType<typeof statSync> | undefined;
    try {
      found = statSync(dir, { throwIfNoEntry: false });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOTDIR") throw e; // a parent is a file: found further up
    }
    if (found) {
      if (!found.isDirectory())
        throw new UsageError(`--out ${given.slice(0, 200)}: ${dir === root ? "is a file" : `${dir} is a file`}, not a directory`);
      return;
    }
    if (dirname(dir) === dir) return;
  }
}

function outcomeOf(invoiceId: number, jobId: number, end: AttemptEnd<InvoicePdfResult>): Outcome {
  const out: Outcome = { invoiceId, jobId, outcome: end.kind };
  if (end.kind === "completed") {
    const r = end.result;
    if (r) Object.assign(out, { number: r.number, path: r.path, sha256: r.sha256, pages: r.pages });
  } else if ("error" in end) out.error = end.error;
  else if ("reason" in end) out.error = end.reason;
  return out;
}
