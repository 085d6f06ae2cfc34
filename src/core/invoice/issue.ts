import { appendAudit } from "../audit/append.ts";
import type { Selectable } from "kysely";
import type { ClientTable, IsoDate, TenantRow } from "../backoffice/schema.ts";
import type { Db } from "../db/handle.ts";
import { addDays, isIsoDate } from "../domain/dates.ts";
import { isValidOcr, ocrReference } from "../domain/ocr.ts";
import { UsageError } from "../errors.ts";
import { toInstant } from "../time.ts";
import { lineOverInvoiceLimit, OVER_INVOICE_LIMIT } from "./amounts.ts";
import { dueDateProblem } from "./dates.ts";
import type { InvoiceRow } from "./schema.ts";

export interface NewInvoiceLine {
  description: string;
  /** Thousandths of a unit (7.5 h = 7500); negative on a credit note. */
  quantityMilli: number;
  unit: string;
  unitPriceOre: number;
  /** A vat_rate category: standard, food, hospitality, reduced, exempt. */
  vatCategory: string;
}

export interface NewInvoice {
  tenantId: number;
  clientId: number;
  projectId?: number | null;
  kind?: "invoice" | "credit";
  /** A credit note's original invoice (issued, same tenant). */
  creditedInvoiceId?: number | null;
  invoiceDate: IsoDate;
  deliveryDate?: IsoDate | null;
  /** Default: the invoice date plus the tenant's payment terms (none on a credit note). */
  dueDate?: IsoDate | null;
  reverseCharge?: boolean;
  yourReference?: string | null;
  ourReference?: string | null;
  notes?: string | null;
  lines: readonly NewInvoiceLine[];
  /** The operator's own id for it (unique in the tenant). */
  externalId?: string | null;
  /** An OCR reference the operator chose; refused unless its check digit (and length digit, when the tenant uses it) is right. Default on issue: from the number. */
  ocr?: string | null;
  /** Issue now: take the next number of the tenant's series. Otherwise a draft without a number. */
  issue: boolean;
  /** Recorded in the audit log: a user id, or else the worker (`seed`). */
  actorUserId?: number | null;
  worker?: string | null;
}

export interface IssuedInvoice {
  id: number;
  number: number | null;
  ocr: string | null;
}

/**
 * Creates an invoice with its lines inside the caller's (IMMEDIATE) transaction. Issuing takes
 * the tenant's next number and advances the series in the same transaction, so numbers are
 * gap-free: a rollback gives the number back. The buyer is copied from the client as it is now
 * (a draft's is copied again when it is issued).
 */
export async function createInvoice(trx: Db, n: NewInvoice, now: number): Promise<IssuedInvoice> {
  for (const [label, date] of [
    ["invoice date", n.invoiceDate],
    ["delivery date", n.deliveryDate],
    ["due date", n.dueDate],
  ] as const) {
    if (date != null && !isIsoDate(date)) throw new UsageError(`invalid ${label} "${date}": expected YYYY-MM-DD`);
  }
  const dueProblem = dueDateProblem(n.invoiceDate, n.dueDate);
  if (dueProblem) throw new UsageError(dueProblem);
  if (n.lines.length === 0) throw new UsageError("an invoice needs at least one line");
  const over = lineOverInvoiceLimit(n.lines);
  if (over >= 0) throw new UsageError(`line ${over + 1}: ${OVER_INVOICE_LIMIT}`);
  const kind = n.kind ?? "invoice";
  const tenant = await trx.selectFrom("tenant").selectAll().where("id", "=", n.tenantId).executeTakeFirst();
  if (!tenant) throw new UsageError(`no tenant with id ${n.tenantId}`, { code: "NOT_FOUND" });
  const client = await tenantClient(trx, n);
  if (!client) throw new UsageError(`no client with id ${n.clientId} for tenant ${tenant.slug}`, { code: "NOT_FOUND" });
  if (kind === "credit") await creditedOriginal(trx, n);

  const lengthDigit = tenant.ocr_length_digit === 1;
  if (n.ocr != null) {
    if (kind === "credit") throw new UsageError("a credit note has no OCR reference");
    if (!isValidOcr(n.ocr, { lengthDigit }))
      throw new UsageError(`OCR reference ${n.ocr} has a wrong check digit${lengthDigit ? " or length digit" : ""}`);
  }
  let number: number | null = null;
  let ocr: string | null = n.ocr ?? null;
  if (n.issue) {
    number = await takeInvoiceNumber(trx, tenant);
    if (kind === "invoice" && ocr === null) ocr = ocrReference(String(number), { lengthDigit });
  }
  if (ocr !== null) await assertOcrFree(trx, tenant, ocr);
  const stamp = toInstant(now);
  const values = {
    tenant_id: tenant.id,
    external_id: n.externalId ?? null,
    client_id: client.id,
    project_id: n.projectId ?? null,
    kind,
    credited_invoice_id: kind === "credit" ? (n.creditedInvoiceId ?? null) : null,
    status: n.issue ? ("issued" as const) : ("draft" as const),
    number,
    invoice_date: n.invoiceDate,
    delivery_date: n.deliveryDate ?? null,
    due_date: n.dueDate ?? (kind === "invoice" ? addDays(n.invoiceDate, tenant.payment_terms_days) : null),
    ocr,
    reverse_charge: n.reverseCharge ? (1 as const) : (0 as const),
    ...buyerFrom(client),
    your_reference: n.yourReference ?? null,
    our_reference: n.ourReference ?? null,
    notes: n.notes ?? null,
    pdf_path: null,
    pdf_sha256: null,
    pdf_generated_at: null,
    pdf_source_updated_at: null,
    created_at: stamp,
    updated_at: stamp,
  };
  const row = await trx.insertInto("invoice").values(values).returning("id").executeTakeFirstOrThrow();
  const lines = n.lines.map((l, i) => ({
    invoice_id: row.id,
    position: i + 1,
    description: l.description,
    quantity_milli: l.quantityMilli,
    unit: l.unit,
    unit_price_ore: l.unitPriceOre,
    vat_category: l.vatCategory,
  }));
  for (let i = 0; i < lines.length; i += 500)
    await trx
      .insertInto("invoice_line")
      .values(lines.slice(i, i + 500))
      .execute();
  await appendAudit(
    trx,
    [
      {
        tenantId: tenant.id,
        table: "invoice",
        rowId: row.id,
        action: "insert",
        new: {
          kind,
          status: values.status,
          number,
          invoice_date: values.invoice_date,
          due_date: values.due_date,
          client_id: client.id,
          lines: lines.length,
        },
        actorUserId: n.actorUserId ?? null,
        worker: n.worker ?? null,
      },
    ],
    now,
  );
  return { id: row.id, number, ocr };
}

/**
 * An OCR reference names one invoice of its tenant: a payment that quotes a reference two
 * invoices share cannot be matched. (Inside the write transaction; a unique index backs it up.)
 */
export async function assertOcrFree(trx: Db, tenant: Pick<TenantRow, "id" | "slug">, ocr: string): Promise<void> {
  const holder = await ocrHolder(trx, tenant.id, ocr);
  if (holder !== undefined) throw new UsageError(`OCR reference ${ocr} is already used by invoice "${holder}" of tenant ${tenant.slug}`);
}

/** The ref (external id, else `#id`) of the invoice of the tenant, other than `exceptId`, that has this OCR reference. */
export async function ocrHolder(trx: Db, tenantId: number, ocr: string, exceptId?: number): Promise<string | undefined> {
  const holder = await trx
    .selectFrom("invoice")
    .select(["id", "external_id"])
    .where("tenant_id", "=", tenantId)
    .where("ocr", "=", ocr)
    .$if(exceptId !== undefined, (q) => q.where("id", "!=", exceptId as number))
    .executeTakeFirst();
  return holder && (holder.external_id ?? `#${holder.id}`);
}

/** An invoice's buyer columns: the client as it is now (issuing copies it, and the issued invoice keeps it). */
/** The invoice's client, if it is one of the invoice's tenant's. */
export function tenantClient(trx: Db, n: Pick<NewInvoice, "clientId" | "tenantId">) {
  return trx.selectFrom("client").selectAll().where("id", "=", n.clientId).where("tenant_id", "=", n.tenantId).executeTakeFirst();
}

export function buyerFrom(client: Selectable<ClientTable>): BuyerColumns {
  return {
    buyer_name: client.name,
    buyer_street: client.street,
    buyer_postcode: client.postcode,
    buyer_town: client.town,
    buyer_country: client.country,
    buyer_orgnr: client.orgnr,
    buyer_vat_number: client.vat_number,
  };
}

export type BuyerColumns = Pick<
  InvoiceRow,
  "buyer_name" | "buyer_street" | "buyer_postcode" | "buyer_town" | "buyer_country" | "buyer_orgnr" | "buyer_vat_number"
>;

/** A credit note's original: an issued invoice of the same tenant. */
export async function creditedOriginal(trx: Db, n: NewInvoice): Promise<Pick<InvoiceRow, "invoice_date" | "delivery_date">> {
  const original =
    n.creditedInvoiceId == null
      ? undefined
      : await trx
          .selectFrom("invoice")
          .select(["status", "invoice_date", "delivery_date"])
          .where("id", "=", n.creditedInvoiceId)
          .where("tenant_id", "=", n.tenantId)
          .executeTakeFirst();
  if (original?.status !== "issued") throw new UsageError("a credit note must refer to an issued invoice of the same tenant");
  return original;
}

/** Takes the next number of the tenant's gap-free series (inside the caller's write transaction: a rollback gives it back). */
export async function takeInvoiceNumber(trx: Db, tenant: Pick<TenantRow, "id" | "next_invoice_number">): Promise<number> {
  const number = tenant.next_invoice_number;
  const r = await trx
    .updateTable("tenant")
    .set({ next_invoice_number: number + 1 })
    .where("id", "=", tenant.id)
    .where("next_invoice_number", "=", number)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new Error(`the invoice series of tenant ${tenant.id} moved while a number was taken`);
  return number;
}
