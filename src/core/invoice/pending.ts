import type { Db } from "../db/handle.ts";
import { deadJobsByKey } from "../queue/stats.ts";

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
 * version and, with `fileSha256`, those whose recorded file is gone or whose bytes no longer match
 * the recorded sha256 (a damaged or replaced file).
 */
export async function pendingInvoices(
  db: Db,
  limit?: number,
  o: { fileSha256?: (path: string) => Promise<string | null> } = {},
): Promise<PendingInvoices> {
  const stale = await db
    .selectFrom("invoice")
    .select(["id", "updated_at"])
    .where("status", "=", "issued")
    .where((eb) => eb.or([eb("pdf_source_updated_at", "is", null), eb("pdf_source_updated_at", "!=", eb.ref("updated_at"))]))
    .orderBy("id")
    .execute();
  const rows: Array<{ id: number; updated_at: string }> = [...stale];
  if (o.fileSha256) {
    const rendered = await db
      .selectFrom("invoice")
      .select(["id", "updated_at", "pdf_path", "pdf_sha256"])
      .where("status", "=", "issued")
      .where("pdf_path", "is not", null)
      .where("pdf_source_updated_at", "=", (eb) => eb.ref("updated_at"))
      .orderBy("id")
      .execute();
    for (const r of rendered) if ((await o.fileSha256(r.pdf_path as string)) !== r.pdf_sha256) rows.push(r);
    rows.sort((a, b) => a.id - b.id);
  }
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
