import type { Generated, Selectable } from "kysely";
import type { Instant } from "../time.ts";

/** The company register: companies, SNI codes and the imports that filled them. */
export interface CompanyTables {
  company: CompanyTable;
  sni_code: SniCodeTable;
  company_import: CompanyImportTable;
  company_import_reject: CompanyImportRejectTable;
  company_financials: CompanyFinancialsTable;
}

export const COMPANY_STATUSES = ["active", "inactive", "liquidation", "bankruptcy", "deregistered"] as const;

export type CompanyStatus = (typeof COMPANY_STATUSES)[number];

export interface CompanyTable {
  orgnr: string;
  name: string;
  legal_form: string | null;
  status: CompanyStatus;
  street: string | null;
  postcode: string | null;
  town: string | null;
  municipality: string | null;
  /** JSON array of 5-digit SNI codes, the primary one first. */
  sni_codes: string;
  description: string | null;
  website: string | null;
  revenue_tkr: number | null;
  employees: number | null;
  reklamsparr: 0 | 1;
  registered_on: string | null;
  deregistered_on: string | null;
  source: string;
  created_at: Instant;
  updated_at: Instant;
  /** Other registered names (bifirma, foreign-language name), " | "-separated. */
  alt_names: string | null;
  co_address: string | null;
  /** The last `companies import` whose file had this company. */
  seen_import_id: number | null;
  /** A later import of its source no longer had it (gone from the register). */
  missing_since: Instant | null;
  /** Last update from the Bolagsverket API. */
  enriched_at: Instant | null;
  /** The financial year (YYYY-MM-DD) revenue_tkr and employees are from, when read from an annual report. */
  financial_year_start: string | null;
  financial_year_end: string | null;
  /** The latest look at the company's annual reports at Bolagsverket (migration 0015). */
  reports_checked_at: Instant | null;
}

export type CompanyRow = Selectable<CompanyTable>;

export interface SniCodeTable {
  /** 2-digit division, 4-digit class or 5-digit code. */
  code: string;
  title: string;
  /** Swedish search words, space-separated. */
  keywords: string;
}

export const IMPORT_FORMATS = ["bolagsverket", "scb", "csv"] as const;

export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface CompanyImportTable extends ImportCounts {
  id: Generated<number>;
  file: string;
  format: ImportFormat;
  encoding: string;
  state: "running" | "completed" | "failed";
  started_at: Instant;
  finished_at: Instant | null;
  error: string | null;
  /** `host:pid:boot` of the process running the import (null before migration 0029). */
  owner: string | null;
  /** Last sign of life of a running import (import-run.ts). */
  heartbeat_at: Instant | null;
}

export type CompanyImportRow = Selectable<CompanyImportTable>;

/** What an import counted; kept on the import's row and in its summary. */
export interface ImportCounts {
  rows: number;
  imported: number;
  updated: number;
  unchanged: number;
  rejected: number;
  skipped: number;
  /** Companies of this source that are no longer in the file (now marked missing). */
  missing: number;
  /** Companies that became deregistered with this import. */
  deregistered: number;
}

export const NO_IMPORT_COUNTS: Readonly<ImportCounts> = {
  rows: 0,
  imported: 0,
  updated: 0,
  unchanged: 0,
  rejected: 0,
  skipped: 0,
  missing: 0,
  deregistered: 0,
};

/** The counts of a summary (or any object carrying them), for the import's row. */
export function importCounts(c: ImportCounts): ImportCounts {
  return {
    rows: c.rows,
    imported: c.imported,
    updated: c.updated,
    unchanged: c.unchanged,
    rejected: c.rejected,
    skipped: c.skipped,
    missing: c.missing,
    deregistered: c.deregistered,
  };
}

export interface CompanyImportRejectTable {
  import_id: number;
  line: number;
  reason: string;
}

/** A company's figures for one financial year, from an annual report (migration 0015). */
export interface CompanyFinancialsTable {
  id: Generated<number>;
  orgnr: string;
  period_start: string;
  period_end: string;
  /** Nettoomsättning in öre. */
  net_revenue_ore: number | null;
  /** Medelantalet anställda, rounded. */
  employees: number | null;
  framework: "K2" | "K3" | null;
  /** The year's own report, or a later report's comparative column. */
  source: "report" | "comparative";
  document_id: string;
  filed_on: string | null;
  fetched_at: Instant;
}

export type CompanyFinancialsRow = Selectable<CompanyFinancialsTable>;
