import type { Generated, Selectable } from "kysely";
import type { Instant } from "../time.ts";

/** Leads, the sales terminals they are assigned to, and their analyses and events. */
export interface LeadTables {
  terminal: TerminalTable;
  terminal_rule: TerminalRuleTable;
  lead: LeadTable;
  lead_analysis: LeadAnalysisTable;
  lead_event: LeadEventTable;
}

export interface TerminalTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  is_default: 0 | 1;
  created_at: Instant;
}

export const LEAD_STATUSES = ["new", "qualified", "contacted", "customer", "rejected"] as const;

export type LeadStatus = (typeof LEAD_STATUSES)[number];

export interface LeadTable {
  id: Generated<number>;
  orgnr: string;
  status: LeadStatus;
  terminal_id: number | null;
  /** Who created it: `job:123`, `user:anna`, `import:leads.csv`. */
  source: string;
  website: string | null;
  /** Latest AI fit score, 0-100. */
  score: number | null;
  segment: string | null;
  analysed_at: Instant | null;
  web_analysed_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
  volume_class: string | null;
  next_step: string | null;
  /** JSON: the latest website analysis (platform, checkout, carriers), written by the website analyser. */
  web_summary: string | null;
  assigned_at: Instant | null;
  notes: string | null;
  /** The person the sales team talks to at the company. */
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
}

export type LeadRow = Selectable<LeadTable>;

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
