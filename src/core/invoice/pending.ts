import type { Db } from "../db/handle.ts";
import { deadJobsByKey } from "../queue/stats.ts";
import { changedPdfs, type PdfFiles } from "./pdf-check.ts";

export const INVOICE_PDF_JOB = "invoice.pdf";
export const invoicePdfKey = (invoiceId: number): string => `${INVOICE_PDF_JOB}:${invoiceId}`;

export interface PendingInvoices {
  /** Issued invoices whose PDF is missing or shows an older version, oldest first. */
  ids: number[];
  /** Of those, left out because their PDF job died after their last change (fix the invoice first). */
  failed: number[];
}

/**
 * The invoices `invoice-pdf --pending` renders: issued ones whose PDF is missing or shows an older
 * version and, with `files` (checked at `files.now`), those whose recorded file is gone or whose
 * bytes no longer match the recorded sha256 (a damaged or replaced file; see pdf-check.ts).
 */
export async function pendingInvoices(db: Db, limit?: number, o: { files?: { on: PdfFiles; now: number } } = {}): Promise<PendingInvoices> {
  const stale = await db
    .selectFrom("invoice")
    .select(["id", "updated_at"])
    .where("status", "=", "issued")
    .where((eb) => eb.or([eb("pdf_source_updated_at", "is", null), eb("pdf_source_updated_at", "!=", eb.ref("updated_at"))]))
    .orderBy("id")
    .execute();
  let rows: Array<{ id: number; updated_at: string }> = stale;
  if (o.files) rows = stale.concat(await changedPdfs(db, o.files.on, o.files.now)).sort((a, b) => a.id - b.id); // not push(...): 100,000s of rows overflow the stack
  const diedAt = await deadJobsByKey(db, INVOICE_PDF_JOB);
  const ids: number[] = [];
  const failed: number[] = [];
  for (const r of rows) {
    const died = diedAt.get(invoicePdfKey(r.id));
    if (died !== undefined && died >= r.updated_at) failed.push(r.id);
    else if (limit === undefined || ids.length < limit) ids.push(r.id);
  }
  return { ids, failed };
}

/** An invoice's state, to refuse a bad `--id` before anything is written. */
export async function invoiceState(db: Db, id: number): Promise<"issued" | "draft" | undefined> {
  const row = await db.selectFrom("invoice").select("status").where("id", "=", id).executeTakeFirst();
  return row?.status;
}
