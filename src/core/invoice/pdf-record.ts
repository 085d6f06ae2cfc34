import { appendAudit } from "../audit/append.ts";
import { immediate, type Db } from "../db/handle.ts";
import { toInstant } from "../time.ts";

export interface PdfRecord {
  invoiceId: number;
  /** The invoice's updated_at when it was read for rendering. */
  sourceUpdatedAt: string;
  path: string;
  sha256: string;
  /** The written file's fileSignature: until it changes, --pending need not read the file again today. */
  fileStat: string | null;
  now: number;
  /** `job:12` */
  worker: string;
}

/**
 * Records a rendered PDF on its invoice (path, sha256, time) with an audit event, unless the
 * invoice changed while it was rendered: then nothing is recorded (false) and the invoice stays
 * pending, so the new version is rendered next.
 */
export async function recordPdf(db: Db, r: PdfRecord): Promise<boolean> {
  return immediate(db, async (trx) => {
    const before = await trx
      .selectFrom("invoice")
      .select(["tenant_id", "updated_at", "pdf_path", "pdf_sha256", "pdf_generated_at"])
      .where("id", "=", r.invoiceId)
      .executeTakeFirst();
    if (!before || before.updated_at !== r.sourceUpdatedAt) return false;
    const next = { pdf_path: r.path, pdf_sha256: r.sha256, pdf_generated_at: toInstant(r.now), pdf_source_updated_at: r.sourceUpdatedAt };
    await trx
      .updateTable("invoice")
      .set({ ...next, pdf_file_stat: r.fileStat, pdf_verified_at: next.pdf_generated_at })
      .where("id", "=", r.invoiceId)
      .where("updated_at", "=", r.sourceUpdatedAt)
      .execute();
    await appendAudit(
      trx,
      [
        {
          tenantId: before.tenant_id,
          table: "invoice",
          rowId: r.invoiceId,
          action: "update",
          worker: r.worker,
          old: { pdf_path: before.pdf_path, pdf_sha256: before.pdf_sha256, pdf_generated_at: before.pdf_generated_at },
          new: { pdf_path: next.pdf_path, pdf_sha256: next.pdf_sha256, pdf_generated_at: next.pdf_generated_at },
        },
      ],
      r.now,
    );
    return true;
  });
}
