import { appendAudit } from "../audit/append.ts";
import { findByRef, mustTenantId } from "../backoffice/refs.ts";
import { immediate, type Db } from "../db/handle.ts";
import { ocrReference } from "../domain/ocr.ts";
import { DataError, UsageError } from "../errors.ts";
import { toInstant } from "../time.ts";
import { tryPriceInvoice, unratedLine, type PricingInput } from "./amounts.ts";
import { enqueueInvoicePdfs } from "./enqueue-pdf.ts";
import {
  assertOcrFree,
  buyerFrom,
  createInvoice,
  creditedOriginal,
  takeInvoiceNumber,
  tenantClient,
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
 * transaction. Refused before anything is written: a line without a VAT rate, an id taken, and
 * for an issued one a buyer that lacks what it must show (missingBuyerDetails).
 */
export async function addInvoice(db: Db, n: NewInvoice, now: number): Promise<SavedInvoice> {
  return immediate(db, async (trx) => {
    const pricing = await pricingOf(trx, n);
    const unrated = unratedLine(pricing);
    if (unrated) throw new UsageError(`line ${unrated.index + 1}: ${unrated.problem}`);
    if (n.externalId != null) {
      const taken = await findByRef(trx, "invoice", n.tenantId, n.externalId);
      if (taken !== undefined) throw new UsageError(`invoice "${n.externalId}" exists already (invoice ${taken})`);
    }
    if (n.issue) await assertBuyerComplete(trx, n, pricing);
    const made = await createInvoice(trx, n, now);
    const [job] = n.issue ? await enqueueInvoicePdfs(trx, [made.id], now) : [];
    return { ...made, status: n.issue ? "issued" : "draft", pdfJobId: job ?? null };
  });
}

/** What a new invoice's amounts depend on (a credit note's original is looked up: refused unless issued). */
async function pricingOf(trx: Db, n: NewInvoice): Promise<PricingInput> {
  const kind = n.kind ?? "invoice";
  return {
    invoice: { kind, invoice_date: n.invoiceDate, delivery_date: n.deliveryDate ?? null, reverse_charge: n.reverseCharge ? 1 : 0 },
    credited: kind === "credit" ? await creditedOriginal(trx, n) : null,
    lines: n.lines.map((l) => ({ quantity_milli: l.quantityMilli, unit_price_ore: l.unitPriceOre, vat_category: l.vatCategory })),
    rates: await loadVatRates(trx),
  };
}

/** A new issued invoice's buyer (its client as it is now) has what the invoice must show at its totals. */
async function assertBuyerComplete(trx: Db, n: NewInvoice, pricing: PricingInput): Promise<void> {
  const client = await tenantClient(trx, n);
  const priced = tryPriceInvoice(pricing);
  if (!client || "problem" in priced) return; // createInvoice refuses both, naming them
  const missing = missingBuyerDetails({ ...buyerFrom(client), reverse_charge: n.reverseCharge ? 1 : 0 }, priced.amounts);
  if (missing.length > 0)
    throw new UsageError(
      `the invoice cannot be issued: missing ${missing.join("; ")}; complete client "${client.external_id ?? `#${client.id}`}" or add a draft`,
    );
}

/**
 * Issues a draft: the next number of the tenant's gap-free series and its OCR reference (unless
 * the operator gave one when adding it), and the buyer as its client is now, in one write
 * transaction with its PDF job and an audit event. Everything that can refuse it — a buyer that
 * lacks what the invoice must show (missingBuyerDetails), a line without a VAT rate, a credit note
 * without an issued original, amounts that cannot be computed, an OCR reference taken — is decided
 * from one read of the invoice before anything is written.
 */
export async function issueInvoice(
  db: Db,
  id: number,
  now: number,
  actor: { userId?: number | null; worker?: string | null },
): Promise<SavedInvoice> {
  return immediate(db, async (trx) => {
    const doc = await loadInvoiceDocument(trx, id);
    if (!doc) throw new UsageError(`no invoice with id ${id}`, { code: "NOT_FOUND" });
    const { invoice: inv, tenant } = doc;
    if (inv.status === "issued") throw new UsageError(`invoice ${id} is already issued as number ${inv.number}`);
    if (inv.kind === "credit" && doc.credited?.status !== "issued")
      throw new UsageError(`invoice ${id} cannot be issued: a credit note must refer to an issued invoice of the same tenant`);
    const unrated = unratedLine(doc);
    if (unrated) throw new UsageError(`invoice ${id} cannot be issued: line ${unrated.index + 1}: ${unrated.problem}`);
    const priced = tryPriceInvoice(doc);
    if ("problem" in priced)
      throw new DataError(`invoice ${id} (${refOf(inv)}) cannot be issued: ${priced.problem}`, { hint: FIX_AMOUNTS });
    const buyer = await currentBuyer(trx, inv);
    const missing = missingBuyerDetails({ ...inv, ...buyer }, priced.amounts);
    if (missing.length > 0) {
      const complete = inv.client_id === null ? "its buyer" : `client "${await clientRef(trx, inv.client_id)}"`;
      throw new UsageError(`invoice ${id} cannot be issued: missing ${missing.join("; ")}; complete ${complete} and issue it again`);
    }
    const number = tenant.next_invoice_number;
    const ocr = inv.kind === "credit" ? null : (inv.ocr ?? ocrReference(String(number), { lengthDigit: tenant.ocr_length_digit === 1 }));
    if (ocr !== null && ocr !== inv.ocr) await assertOcrFree(trx, tenant, ocr);

    await takeInvoiceNumber(trx, tenant);
    await trx
      .updateTable("invoice")
      .set({ status: "issued", number, ocr, ...buyer, updated_at: toInstant(now) })
      .where("id", "=", id)
      .execute();
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

/** How to mend an invoice whose stored amounts cannot be computed. */
const FIX_AMOUNTS = "correct its lines by importing the invoice again with `backoffice import`";

/** How the operator names an invoice: their id, or `#id`. */
const refOf = (inv: Pick<InvoiceRow, "id" | "external_id">): string => inv.external_id ?? `#${inv.id}`;

/** The buyer an issued invoice shows: its client as it is now (a draft's copy may be old); the draft's own when the client is gone. */
async function currentBuyer(trx: Db, inv: InvoiceRow): Promise<BuyerColumns> {
  const client =
    inv.client_id === null ? undefined : await trx.selectFrom("client").selectAll().where("id", "=", inv.client_id).executeTakeFirst();
  if (client) return buyerFrom(client);
  const { buyer_name, buyer_street, buyer_postcode, buyer_town, buyer_country, buyer_orgnr, buyer_vat_number } = inv;
  return { buyer_name, buyer_street, buyer_postcode, buyer_town, buyer_country, buyer_orgnr, buyer_vat_number };
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
  /** Including VAT, before öresavrundning; null when `problem` says why it cannot be computed. */
  totalOre: number | null;
  payableOre: number | null;
  pdfPath: string | null;
  pdfGeneratedAt: string | null;
  /** Why the invoice's stored amounts cannot be computed (lines written before input was bounded, or by hand), else null. */
  problem: string | null;
}

export interface InvoiceListFilter {
  tenant?: string | undefined;
  status?: "draft" | "issued" | undefined;
}

/** Invoices, newest first, with their totals (an invoice whose amounts cannot be computed is listed with its `problem`). */
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
    const priced = tryPriceInvoice({
      invoice: r,
      credited: (r.credited_invoice_id !== null && credited.get(r.credited_invoice_id)) || null,
      lines: lines.filter((l) => l.invoice_id === r.id),
      rates,
    });
    const amounts = "problem" in priced ? null : priced.amounts;
    return {
      id: r.id,
      ref: refOf(r),
      tenant: r.slug,
      kind: r.kind,
      status: r.status,
      number: r.number,
      ocr: r.ocr,
      invoiceDate: r.invoice_date,
      dueDate: r.due_date,
      buyer: r.buyer_name,
      totalOre: amounts?.totalOre ?? null,
      payableOre: amounts?.payableOre ?? null,
      pdfPath: r.pdf_path,
      pdfGeneratedAt: r.pdf_generated_at,
      problem: "problem" in priced ? priced.problem : null,
    };
  });
  return { items, total };
}

export interface InvoiceDetail extends Omit<InvoiceListItem, "totalOre" | "payableOre" | "problem"> {
  totalOre: number;
  payableOre: number;
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

/** One invoice with its lines and amounts; refused (DataError) when its stored amounts cannot be computed. */
export async function showInvoice(db: Db, id: number): Promise<InvoiceDetail> {
  const doc = await loadInvoiceDocument(db, id);
  if (!doc) throw new UsageError(`no invoice with id ${id}`, { code: "NOT_FOUND" });
  const r = doc.invoice;
  const priced = tryPriceInvoice(doc);
  if ("problem" in priced) throw new DataError(`invoice ${id} (${refOf(r)}) cannot be shown: ${priced.problem}`, { hint: FIX_AMOUNTS });
  const { amounts } = priced;
  return {
    id: r.id,
    ref: refOf(r),
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
