import type { Generated, Selectable } from "kysely";
import type { IsoDate } from "../backoffice/schema.ts";
import type { Instant } from "../time.ts";

/** Invoices, their lines and the VAT rates they are charged at (dates YYYY-MM-DD, money in öre). */
export interface InvoiceTables {
  vat_rate: VatRateTable;
  invoice: InvoiceTable;
  invoice_line: InvoiceLineTable;
}

export interface VatRateTable {
  id: Generated<number>;
  category: string;
  /** Basis points: 2500 = 25 %. */
  rate_bp: number;
  valid_from: IsoDate;
  /** Inclusive; null = until further notice. */
  valid_to: IsoDate | null;
  label: string;
  invoice_note: string | null;
}

export type VatRateRow = Selectable<VatRateTable>;

export interface InvoiceTable {
  id: Generated<number>;
  tenant_id: number;
  /** The operator's own id (`backoffice import`); null for rows made here. */
  external_id: Generated<string | null>;
  client_id: number | null;
  project_id: number | null;
  kind: "invoice" | "credit";
  credited_invoice_id: number | null;
  status: "draft" | "issued";
  number: number | null;
  invoice_date: IsoDate | null;
  delivery_date: IsoDate | null;
  due_date: IsoDate | null;
  ocr: string | null;
  currency: Generated<string>;
  reverse_charge: 0 | 1;
  buyer_name: string | null;
  buyer_street: string | null;
  buyer_postcode: string | null;
  buyer_town: string | null;
  buyer_country: string | null;
  buyer_orgnr: string | null;
  buyer_vat_number: string | null;
  your_reference: string | null;
  our_reference: string | null;
  notes: string | null;
  pdf_path: string | null;
  pdf_sha256: string | null;
  pdf_generated_at: Instant | null;
  /** The updated_at the PDF shows: the PDF is out of date when it differs from updated_at. */
  pdf_source_updated_at: Instant | null;
  /** The PDF file's size, inode and times when its bytes last matched pdf_sha256 (fileSignature). */
  pdf_file_stat: string | null;
  /** When the PDF's bytes were last read and matched pdf_sha256. */
  pdf_verified_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}

export type InvoiceRow = Selectable<InvoiceTable>;

export interface InvoiceLineTable {
  id: Generated<number>;
  invoice_id: number;
  position: number;
  description: string;
  /** Thousandths of a unit: 7.5 hours = 7500. */
  quantity_milli: number;
  unit: string;
  /** Excluding VAT. */
  unit_price_ore: number;
  vat_category: string;
}

export type InvoiceLineRow = Selectable<InvoiceLineTable>;
