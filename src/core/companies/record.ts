import type { CompanyStatus } from "./schema.ts";

/**
 * One company as read from an import file or the Bolagsverket API: only the fields that
 * source provides are set; the others are left as they are in the database.
 */
export interface CompanyRecord {
  orgnr: string;
  name?: string;
  altNames?: string | null;
  legalForm?: string | null;
  status?: CompanyStatus;
  street?: string | null;
  coAddress?: string | null;
  postcode?: string | null;
  town?: string | null;
  municipality?: string | null;
  sniCodes?: string[];
  description?: string | null;
  website?: string | null;
  revenueTkr?: number | null;
  employees?: number | null;
  reklamsparr?: boolean;
  registeredOn?: string | null;
  deregisteredOn?: string | null;
}

/** What a format parser makes of one row. */
export type ParsedRow =
  | { kind: "company"; record: CompanyRecord }
  /** A valid row that is not a company we import (a sole trader's personnummer). */
  | { kind: "skip"; reason: string }
  | { kind: "reject"; reason: string };

/** Writable company columns and the record field that feeds each. */
export const COMPANY_FIELDS = {
  name: "name",
  alt_names: "altNames",
  legal_form: "legalForm",
  status: "status",
  street: "street",
  co_address: "coAddress",
  postcode: "postcode",
  town: "town",
  municipality: "municipality",
  sni_codes: "sniCodes",
  description: "description",
  website: "website",
  revenue_tkr: "revenueTkr",
  employees: "employees",
  reklamsparr: "reklamsparr",
  registered_on: "registeredOn",
  deregistered_on: "deregisteredOn",
} as const satisfies Record<string, keyof CompanyRecord>;

export type CompanyColumn = keyof typeof COMPANY_FIELDS;

/** The value stored in the column for a record's field (JSON for SNI codes, 0/1 for reklamspärr). */
export function columnValue(record: CompanyRecord, column: CompanyColumn): string | number | null {
  const v = record[COMPANY_FIELDS[column]];
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return JSON.stringify(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  return v;
}
