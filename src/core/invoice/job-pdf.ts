import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import * as z from "zod";
import { fileSignature, writeFileAtomic } from "../integrations/storage.ts";
import { invoiceDocument } from "./document.ts";
import { loadInvoiceDocument, type InvoiceDocument } from "./load.ts";
import type { PrintedText } from "./pdf-font.ts";
import { recordPdf } from "./pdf-record.ts";
import { alertStorageFull, isStorageFull } from "./storage-full.ts";
import { configuredChannels } from "../notify/channels.ts";
import { INVOICE_PDF_JOB, invoicePdfKey } from "./pending.ts";
import { buildInvoiceView, type ViewResult } from "./view.ts";
import { InexactAmountError } from "./amounts.ts";
import { PermanentJobError } from "../errors.ts";
import type { JobDefinition } from "../jobs/types.ts";

const payload = z.strictObject({
  invoiceId: z.number().int().min(1).describe("the issued invoice to render"),
  storageRoot: z
    .string()
    .min(1)
    .optional()
    .describe("where jobs queued by older versions were told to write; the storageRoot setting, read when the job runs, wins"),
});
export type InvoicePdfPayload = z.infer<typeof payload>;

/** The payload of a queued invoice.pdf job: the queue stores it as JSON once this schema accepted it. */
export function storedInvoicePdfPayload(json: string): InvoicePdfPayload {
  return JSON.parse(json) as InvoicePdfPayload;
}

/** The PDF written: where, its sha256, pages and size; `number` is the invoice's number. */
export interface InvoicePdfResult {
  invoiceId: number;
  number: number | null;
  tenant: string;
  path: string;
  sha256: string;
  pages: number;
  bytes: number;
}

/**
 * Renders one issued invoice as a Swedish invoice PDF to <root>/invoices/<tenant>/<number>.pdf
 * (written atomically) and records path, sha256 and time on the invoice with an audit event.
 * A missing mandatory field fails permanently, listing what is missing. Retries: 1, 5, 15 min.
 */
export const invoicePdfJob: JobDefinition<InvoicePdfPayload, InvoicePdfResult> = {
  type: INVOICE_PDF_JOB,
  summary: "renders a Swedish invoice (or credit note) PDF and records its path and sha256",
  payload,
  retry: { maxAttempts: 4, delaysMs: [60_000, 300_000, 900_000] },
  timeoutMs: 120_000,
  dedupeKey: ({ invoiceId }) => invoicePdfKey(invoiceId),
  async run(ctx) {
    const { invoiceId } = ctx.payload;
    const root = ctx.config.storageRoot ?? ctx.payload.storageRoot;
    if (!root) throw new PermanentJobError("no storage root: set storageRoot (LEADJOBS_STORAGE_ROOT) or pass --out");
    const doc = await loadInvoiceDocument(ctx.db, invoiceId);
    if (!doc) throw new PermanentJobError(`invoice ${invoiceId} does not exist`);
    const built = viewOrPermanent(doc);
    if (!built.ok) throw new PermanentJobError(`invoice ${invoiceId} cannot be issued as a PDF; missing: ${built.missing.join("; ")}`);
    const { view } = built;
    const { robotoMeasure, unprintable } = await import("./pdf-font.ts");
    const lost = unprintable(printedTexts(doc));
    if (lost) throw new PermanentJobError(`invoice ${invoiceId} cannot be issued as a PDF: ${lost}`);

    const { renderPdf } = await import("./render-pdf.ts");
    const counter = { pages: 0 };
    const pdf = await renderPdf(invoiceDocument(view, robotoMeasure(), counter));
    ctx.signal.throwIfAborted();
    const path = join(root, "invoices", doc.tenant.slug, view.fileName);
    try {
      await writeFileAtomic(path, pdf);
    } catch (e) {
      if (!isStorageFull(e)) throw e;
      const dir = dirname(path);
      await alertStorageFull(ctx.db, {
        tenantId: doc.tenant.id,
        tenantName: doc.tenant.name,
        dir,
        code: e.code,
        invoiceId,
        number: doc.invoice.number,
        jobId: ctx.job.id,
        channels: configuredChannels(ctx.config),
        now: ctx.now(),
      });
      throw new Error(`storage full (${e.code}): invoice PDFs could not be written to ${dir}`);
    }
    const sha256 = createHash("sha256").update(pdf).digest("hex");
    const recorded = await recordPdf(ctx.db, {
      invoiceId,
      sourceUpdatedAt: doc.invoice.updated_at,
      path,
      sha256,
      fileStat: fileSignature(path),
      now: ctx.now(),
      worker: `job:${ctx.job.id}`,
    });
    if (!recorded) throw new Error(`invoice ${invoiceId} changed while its PDF was rendered; rendering it again`);
    ctx.addMetrics({ pages: counter.pages, bytes: pdf.length, lines: doc.lines.length });
    return {
      result: { invoiceId, number: doc.invoice.number, tenant: doc.tenant.slug, path, sha256, pages: counter.pages, bytes: pdf.length },
    };
  },
};

/** The invoice's view; amounts stored that cannot be computed fail the job at once: a retry cannot mend them. */
function viewOrPermanent(doc: InvoiceDocument): ViewResult {
  try {
    return buildInvoiceView(doc);
  } catch (e) {
    if (!(e instanceof InexactAmountError)) throw e;
    throw new PermanentJobError(`invoice ${doc.invoice.id} cannot be issued as a PDF: ${e.message}`);
  }
}

/** The texts of an invoice its PDF shows, by where they come from. */
function printedTexts(d: InvoiceDocument): PrintedText[] {
  const { tenant: t, invoice: i } = d;
  return [
    ["seller name", t.name],
    ["seller street", t.street],
    ["seller postcode", t.postcode],
    ["seller town", t.town],
    ["seller VAT number", t.vat_number],
    ["seller registered office", t.registered_office],
    ["seller email", t.email],
    ["seller phone", t.phone],
    ["seller website", t.website],
    ["buyer name", i.buyer_name],
    ["buyer street", i.buyer_street],
    ["buyer postcode", i.buyer_postcode],
    ["buyer town", i.buyer_town],
    ["buyer orgnr", i.buyer_orgnr],
    ["buyer VAT number", i.buyer_vat_number],
    ["your reference", i.your_reference],
    ["our reference", i.our_reference],
    ["notes", i.notes],
    ...d.lines.flatMap((l): PrintedText[] => [
      [`line ${l.position} description`, l.description],
      [`line ${l.position} unit`, l.unit],
    ]),
  ];
}
