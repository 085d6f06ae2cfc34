import { appendAudit } from "../audit/append.ts";
import { findByRef, mustTenantId } from "../backoffice/refs.ts";
import { immediate, type Db } from "../db/handle.ts";
import { ocrReference } from "../domain/ocr.ts";
import { UsageError } from "../errors.ts";
import { toInstant } from "../time.ts";
import { priceInvoice, rateInvoice } from "./amounts.ts";
import { enqueueInvoicePdfs } from "./enqueue-pdf.ts";
import {
  assertOcrFree,
  buyerFrom,
  createInvoice,
  creditedOriginal,
  takeInvoiceNumber,
  type BuyerColumns,
  type NewInvoice,
} from "./issue.ts";
import { loadInvoiceDocument } from "./load.ts";
import type { InvoiceRow } from "./schema.ts";
import { loadVatRates } from "./vat-rates.ts";
import { missingBuyerDetails } from "./view.ts";
import { pageRows, type Page, type Paged } from "../util/paging.ts";

export interface InvoiceRefs {
  tenant: string;
  client: string;
  project?: string | undefined;
}

/** The tenant, client and project ids named by a slug and the operator's ids (or `#id`). */
export async function resolveInvoiceRefs(
  db: Db,
  r: InvoiceRefs,
): Promise<{ tenantId: number; clientId: number; projectId: number | null }> {
  const tenantId = await mustTenantId(db, r.tenant);
  const clientId = await findByRef(db, "client", tenantId, r.client);
  if (clientId === undefined) throw new UsageError(`no client "${r.client}" in tenant ${r.tenant}`, { code: "NOT_FOUND" });
  let projectId: number | null = null;
  if (r.project !== undefined) {
    const id = await findByRef(db, "project", tenantId, r.project);
    if (id === undefined) throw new UsageError(`no project "${r.project}" in tenant ${r.tenant}`, { code: "NOT_FOUND" });
    projectId = id;
  }
  return { tenantId, clientId, projectId };
}

export interface SavedInvoice {
  id: number;
  number: number | null;
  ocr: string | null;
  status: "draft" | "issued";
  /** The invoice.pdf job queued for it (issued invoices only). */
  pdfJobId: number | null;
}

/**
 * Creates an invoice (a draft, or issued with `issue`); an issued one gets its PDF job in the same
 * transaction, and is refused when its buyer lacks what it must show (missingBuyerDetails).
 */
export async function addInvoice(db: Db, n: NewInvoice, now: number): Promise<SavedInvoice> {
  return immediate(db, async (trx) => {
    await assertVatRates(trx, n);
    if (n.externalId != null) {
      const taken = await findByRef(trx, "invoice", n.tenantId, n.externalId);
      if (taken !== undefined) throw new UsageError(`invoice "${n.externalId}" exists already (invoice ${taken})`);
    }
    const made = await createInvoice(trx, n, now);
    if (n.issue) {
      const missing = await missingForIssue(trx, made.id);
      if (missing.length > 0)
        throw new UsageError(
          `the invoice cannot be issued: missing ${missing.join("; ")}; complete client "${await clientRef(trx, n.clientId)}" or add a draft`,
        );
    }
    const [job] = n.issue ? await enqueueInvoicePdfs(trx, [made.id], now) : [];
    return { ...made, status: n.issue ? "issued" : "draft", pdfJobId: job ?? null };
  });
}

/** Every line's VAT category has a rate on the date the invoice is priced at (rateInvoice). */
async function assertVatRates(trx: Db, n: NewInvoice): Promise<void> {
  const kind = n.kind ?? "invoice";
  const { rateDate, lineRates } = rateInvoice({
    invoice: { kind, invoice_date: n.invoiceDate, delivery_date: n.deliveryDate ?? null, reverse_charge: n.reverseCharge ? 1 : 0 },
    credited: kind === "credit" ? await creditedOriginal(trx, n) : null,
    lines: n.lines.map((l) => ({ quantity_milli: l.quantityMilli, unit_price_ore: l.unitPriceOre, vat_category: l.vatCategory })),
    rates: await loadVatRates(trx),
  });
  const i = lineRates.indexOf(undefined);
  if (i >= 0) throw new UsageError(`line ${i + 1}: VAT rate unknown for category "${n.lines[i]?.vatCategory}" on ${rateDate}`);
}

/**
 * Issues a draft: the next number of the tenant's gap-free series and its OCR reference (unless
 * the operator gave one when adding it), and the buyer as its client is now, in one write
 * transaction with its PDF job and an audit event. A buyer that lacks what the invoice must show
 * (missingBuyerDetails) is refused before anything is written.
 */
export async function issueInvoice(
  db: Db,
  id: number,
  now: number,
  actor: { userId?: number | null; worker?: string | null },
): Promise<SavedInvoice> {
  return immediate(db, async (trx) => {
    const inv = await trx.selectFrom("invoice").selectAll().where("id", "=", id).executeTakeFirst();
    if (!inv) throw new UsageError(`no invoice with id ${id}`, { code: "NOT_FOUND" });
    if (inv.status === "issued") throw new UsageError(`invoice ${id} is already issued as number ${inv.number}`);
    const tenant = await trx.selectFrom("tenant").selectAll().where("id", "=", inv.tenant_id).executeTakeFirstOrThrow();
    const number = await takeInvoiceNumber(trx, tenant);
    const ocr = inv.kind === "credit" ? null : (inv.ocr ?? ocrReference(String(number), { lengthDigit: tenant.ocr_length_digit === 1 }));
    if (ocr !== null && ocr !== inv.ocr) await assertOcrFree(trx, tenant, ocr);
    const buyer = await currentBuyer(trx, inv);
    const stamp = toInstant(now);
    await trx
      .updateTable("invoice")
      .set({ status: "issued", number, ocr, ...buyer, updated_at: stamp })
      .where("id", "=", id)
      .execute();
    const missing = await missingForIssue(trx, id);
    if (missing.length > 0) {
      const complete = inv.client_id === null ? "its buyer" : `client "${await clientRef(trx, inv.client_id)}"`;
      throw new UsageError(`invoice ${id} cannot be issued: missing ${missing.join("; ")}; complete ${complete} and issue it again`);
    }
    const changedBuyer = (Object.keys(buyer) as Array<keyof BuyerColumns>).filter((k) => buyer[k] !== inv[k]);
    await appendAudit(
      trx,
      [
        {
          tenantId: inv.tenant_id,
          table: "invoice",
          rowId: id,
          action: "update",
          old: { status: inv.status, number: null, ocr: inv.ocr, ...Object.fromEntries(changedBuyer.map((k) => [k, inv[k]])) },
          new: { status: "issued", number, ocr, ...Object.fromEntries(changedBuyer.map((k) => [k, buyer[k]])) },
          actorUserId: actor.userId ?? null,
          worker: actor.worker ?? null,
        },
      ],
      now,
    );
    const [job] = await enqueueInvoicePdfs(trx, [id], now);
    return { id, number, ocr, status: "issued", pdfJobId: job ?? null };
  });
}

/** The buyer an issued invoice shows: its client as it is now (a draft's copy may be old); the draft's own when the client is gone. */
async function currentBuyer(trx: Db, inv: InvoiceRow): Promise<BuyerColumns> {
  const client =
    inv.client_id === null ? undefined : await trx.selectFrom("client").selectAll().where("id", "=", inv.client_id).executeTakeFirst();
  if (client) return buyerFrom(client);
  const { buyer_name, buyer_street, buyer_postcode, buyer_town, buyer_country, buyer_orgnr, buyer_vat_number } = inv;
  return { buyer_name, buyer_street, buyer_postcode, buyer_town, buyer_country, buyer_orgnr, buyer_vat_number };
}

/** What the buyer of an invoice about to be issued lacks (missingBuyerDetails, at the invoice's own totals). */
async function missingForIssue(trx: Db, id: number): Promise<string[]> {
  const doc = await loadInvoiceDocument(trx, id);
  if (!doc) throw new Error(`invoice ${id} vanished while it was issued`);
  return missingBuyerDetails(doc.invoice, priceInvoice(doc).amounts);
}

/** How the operator names a client: their id, or `#id`. */
async function clientRef(trx: Db, clientId: number): Promise<string> {
  const row = await trx.selectFrom("client").select("external_id").where("id", "=", clientId).executeTakeFirst();
  return row?.external_id ?? `#${clientId}`;
}

export interface InvoiceListItem {
  id: number;
  /** The operator's id, or `#id`. */
  ref: string;
  tenant: string;
  kind: "invoice" | "credit";
  status: "draft" | "issued";
  number: number | null;
  ocr: string | null;
  invoiceDate: string | null;
  dueDate: string | null;
  buyer: string | null;
  /** Including VAT, before öresavrundning. */
  totalOre: number;
  payableOre: number;
  pdfPath: string | null;
  pdfGeneratedAt: string | null;
}

export interface InvoiceListFilter {
  tenant?: string | undefined;
  status?: "draft" | "issued" | undefined;
}

/** Invoices, newest first, with their totals. */
export async function listInvoices(db: Db, f: InvoiceListFilter, page: Page): Promise<Paged<InvoiceListItem>> {
  let q = db.selectFrom("invoice").innerJoin("tenant", "tenant.id", "invoice.tenant_id").selectAll("invoice").select("tenant.slug");
  if (f.tenant !== undefined) q = q.where("invoice.tenant_id", "=", await mustTenantId(db, f.tenant));
  if (f.status !== undefined) q = q.where("invoice.status", "=", f.status);
  const { items: rows, total } = await pageRows(db, q.orderBy("invoice.id", "desc"), page);
  if (rows.length === 0) return { items: [], total };
  const rates = await loadVatRates(db);
  const lines = await db
    .selectFrom("invoice_line")
    .selectAll()
    .where(
      "invoice_id",
      "in",
      rows.map((r) => r.id),
    )
    .orderBy("position")
    .execute();
  const credited = await creditedOriginals(db, rows);
  const items = rows.map((r) => {
    const { amounts } = priceInvoice({
      invoice: r,
      credited: (r.credited_invoice_id !== null && credited.get(r.credited_invoice_id)) || null,
      lines: lines.filter((l) => l.invoice_id === r.id),
      rates,
    });
    return {
      id: r.id,
      ref: r.external_id ?? `#${r.id}`,
      tenant: r.slug,
      kind: r.kind,
      status: r.status,
      number: r.number,
      ocr: r.ocr,
      invoiceDate: r.invoice_date,
      dueDate: r.due_date,
      buyer: r.buyer_name,
      totalOre: amounts.totalOre,
      payableOre: amounts.payableOre,
      pdfPath: r.pdf_path,
      pdfGeneratedAt: r.pdf_generated_at,
    };
  });
  return { items, total };
}

export interface InvoiceDetail extends InvoiceListItem {
  clientId: number | null;
  projectId: number | null;
  reverseCharge: boolean;
  pdfSha256: string | null;
  /** True when the PDF is missing or shows an older version of the invoice. */
  pdfPending: boolean;
  netOre: number;
  vatOre: number;
  lines: Array<{
    position: number;
    description: string;
    quantityMilli: number;
    unit: string;
    unitPriceOre: number;
    vatCategory: string;
    amountOre: number;
  }>;
}

export async function showInvoice(db: Db, id: number): Promise<InvoiceDetail> {
  const doc = await loadInvoiceDocument(db, id);
  if (!doc) throw new UsageError(`no invoice with id ${id}`, { code: "NOT_FOUND" });
  const r = doc.invoice;
  const { amounts } = priceInvoice(doc);
  return {
    id: r.id,
    ref: r.external_id ?? `#${r.id}`,
    tenant: doc.tenant.slug,
    kind: r.kind,
    status: r.status,
    number: r.number,
    ocr: r.ocr,
    invoiceDate: r.invoice_date,
    dueDate: r.due_date,
    buyer: r.buyer_name,
    totalOre: amounts.totalOre,
    payableOre: amounts.payableOre,
    pdfPath: r.pdf_path,
    pdfGeneratedAt: r.pdf_generated_at,
    clientId: r.client_id,
    projectId: r.project_id,
    reverseCharge: r.reverse_charge === 1,
    pdfSha256: r.pdf_sha256,
    pdfPending: r.status === "issued" && r.pdf_source_updated_at !== r.updated_at,
    netOre: amounts.netOre,
    vatOre: amounts.vatOre,
    lines: doc.lines.map((l, i) => ({
      position: l.position,
      description: l.description,
      quantityMilli: l.quantity_milli,
      unit: l.unit,
      unitPriceOre: l.unit_price_ore,
      vatCategory: l.vat_category,
      amountOre: amounts.lineAmountsOre[i] as number,
    })),
  };
}

/** The originals of the credit notes among `rows`, by id: their dates decide the credit notes' VAT rates. */
async function creditedOriginals(
  db: Db,
  rows: ReadonlyArray<Pick<InvoiceRow, "credited_invoice_id">>,
): Promise<Map<number, Pick<InvoiceRow, "invoice_date" | "delivery_date">>> {
  const ids = [...new Set(rows.map((r) => r.credited_invoice_id).filter((id): id is number => id !== null))];
  if (ids.length === 0) return new Map();
  const originals = await db.selectFrom("invoice").select(["id", "invoice_date", "delivery_date"]).where("id", "in", ids).execute();
  return new Map(originals.map((o) => [o.id, o]));
}
