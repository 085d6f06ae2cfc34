import type { Generated, Selectable } from "kysely";
import type { Instant } from "../time.ts";

/**
 * Tables of lead generation (migrations/0004_leads.sql). The columns that migration adds to
 * `company` and `lead` are merged into CompanyTable and LeadTable below (module augmentation),
 * optional so code written before them (the seed) still type-checks.
 */
export interface LeadTables {
  sni_code: SniCodeTable;
  company_import: CompanyImportTable;
  company_import_reject: CompanyImportRejectTable;
  terminal_rule: TerminalRuleTable;
  lead_analysis: LeadAnalysisTable;
  lead_event: LeadEventTable;
}

declare module "./schema.ts" {
  /** Columns 0004 adds to `company`. */
  interface CompanyTable {
    /** Other registered names (bifirma, foreign-language name), " | "-separated. */
    alt_names?: string | null;
    co_address?: string | null;
    /** The last `companies import` whose file had this company. */
    seen_import_id?: number | null;
    /** A later import of its source no longer had it (gone from the register). */
    missing_since?: Instant | null;
    /** Last update from the Bolagsverket API. */
    enriched_at?: Instant | null;
  }
  /** Columns 0004 adds to `lead`. */
  interface LeadTable {
    volume_class?: string | null;
    next_step?: string | null;
    /** JSON: the latest website analysis (platform, checkout, carriers), written by the website analyser. */
    web_summary?: string | null;
    assigned_at?: Instant | null;
    notes?: string | null;
  }
}

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
  rows: 0, imported: 0, updated: 0, unchanged: 0, rejected: 0, skipped: 0, missing: 0, deregistered: 0,
};

/** The counts of a summary (or any object carrying them), for the import's row. */
export function importCounts(c: ImportCounts): ImportCounts {
  return { rows: c.rows, imported: c.imported, updated: c.updated, unchanged: c.unchanged, rejected: c.rejected, skipped: c.skipped, missing: c.missing, deregistered: c.deregistered };
}

export interface CompanyImportRejectTable {
  import_id: number;
  line: number;
  reason: string;
}

export const RULE_KINDS = ["town", "municipality", "postcode", "sni"] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export interface TerminalRuleTable {
  id: Generated<number>;
  terminal_id: number;
  /** Rules are tried by position, then id; the first match wins. */
  position: number;
  kind: RuleKind;
  value: string;
  postcode_from: number | null;
  postcode_to: number | null;
  created_at: Instant;
}
export type TerminalRuleRow = Selectable<TerminalRuleTable>;

export const ANALYSIS_STATUSES = ["succeeded", "failed", "not_analysed"] as const;
export type AnalysisStatus = (typeof ANALYSIS_STATUSES)[number];

export interface LeadAnalysisTable {
  id: Generated<number>;
  lead_id: number;
  /** The run that did it; a lead is analysed at most once per run. */
  job_id: number | null;
  protocol: string;
  provider: string;
  model: string;
  status: AnalysisStatus;
  score: number | null;
  segment: string | null;
  volume_class: string | null;
  next_step: string | null;
  /** JSON array of strings. */
  reasons: string | null;
  /** JSON: the whole validated answer. */
  output: string | null;
  error: string | null;
  input_tokens: number;
  output_tokens: number;
  /** Cost in micro-dollars (USD × 1,000,000). */
  cost_microusd: number;
  duration_ms: number | null;
  created_at: Instant;
}
export type LeadAnalysisRow = Selectable<LeadAnalysisTable>;

export interface LeadEventTable {
  id: Generated<number>;
  lead_id: number;
  at: Instant;
  /** created, assigned, edited, status, analysed, analysis_failed, not_analysed */
  kind: string;
  /** job:123, user:anna */
  actor: string;
  job_id: number | null;
  /** JSON */
  detail: string | null;
}
export type LeadEventRow = Selectable<LeadEventTable>;
