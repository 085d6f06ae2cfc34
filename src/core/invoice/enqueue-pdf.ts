import type { Db } from "../db/handle.ts";
import { retryPolicy } from "../queue/backoff.ts";
import { insertJobs } from "../queue/enqueue.ts";
import { invoicePdfJob } from "./job-pdf.ts";
import { invoicePdfKey } from "./pending.ts";

/**
 * Queues the invoice.pdf job of each issued invoice that was created, issued or changed, inside
 * the caller's write transaction, so the change and its job commit together and cron's
 * `process` renders it. Deduplicated: an invoice with a pending or running job gets no second
 * one (a running job that read the old version notices the change and renders again).
 */
export async function enqueueInvoicePdfs(trx: Db, invoiceIds: readonly number[], now: number): Promise<number[]> {
  if (invoiceIds.length === 0) return [];
  const maxAttempts = retryPolicy(invoicePdfJob.retry).maxAttempts;
  const jobs = await insertJobs(
    trx,
    invoiceIds.map((invoiceId) => ({
      type: invoicePdfJob.type,
      payload: { invoiceId },
      maxAttempts,
      dedupeKey: invoicePdfKey(invoiceId),
    })),
    now,
  );
  return jobs.map((j) => j.id);
}
