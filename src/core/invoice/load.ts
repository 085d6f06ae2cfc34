import type { InvoiceLineRow, InvoiceRow, VatRateRow } from "./schema.ts";
import type { TenantRow } from "../backoffice/schema.ts";
import type { Db } from "../db/handle.ts";
import { loadVatRates } from "./vat-rates.ts";

/** Everything an invoice PDF shows, read at one moment. */
export interface InvoiceDocument {
  invoice: InvoiceRow;
  tenant: TenantRow;
  lines: InvoiceLineRow[];
  /** The original of a credit note. */
  credited: Pick<InvoiceRow, "id" | "number" | "invoice_date" | "delivery_date" | "status"> | null;
  rates: VatRateRow[];
}

export async function loadInvoiceDocument(db: Db, invoiceId: number): Promise<InvoiceDocument | undefined> {
  const invoice = await db.selectFrom("invoice").selectAll().where("id", "=", invoiceId).executeTakeFirst();
  if (!invoice) return undefined;
  const tenant = await db.selectFrom("tenant").selectAll().where("id", "=", invoice.tenant_id).executeTakeFirstOrThrow();
  const lines = await db.selectFrom("invoice_line").selectAll().where("invoice_id", "=", invoiceId).orderBy("position").execute();
  const credited =
    invoice.credited_invoice_id === null
      ? null
      : ((await db
          .selectFrom("invoice")
          .select(["id", "number", "invoice_date", "delivery_date", "status"])
          .where("id", "=", invoice.credited_invoice_id)
          .executeTakeFirst()) ?? null);
  return { invoice, tenant, lines, credited, rates: await loadVatRates(db) };
}
