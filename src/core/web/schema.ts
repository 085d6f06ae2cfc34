import type { Generated, Selectable } from "kysely";
import type { Instant } from "../time.ts";

/** The website analysis tables (migration 0005). */
export interface WebTables {
  web_batch: WebBatchTable;
  web_batch_item: WebBatchItemTable;
  web_analysis: WebAnalysisTable;
  web_detection: WebDetectionTable;
}

export const ANALYSIS_TYPES = ["tech_analysis", "checkout_scraping", "full_analysis", "ecommerce_detection", "carrier_detection"] as const;
export type AnalysisType = (typeof ANALYSIS_TYPES)[number];

export interface WebBatchTable {
  id: Generated<number>;
  analysis: AnalysisType;
  /** JSON: how the sites were chosen. */
  selector: string;
  /** JSON: the run options stored with the batch (browser mode, allowPrivate, fingerprints). */
  options: string;
  created_at: Instant;
  started_at: Instant | null;
  finished_at: Instant | null;
}
export type WebBatchRow = Selectable<WebBatchTable>;

export const ITEM_STATUSES = ["pending", "running", "ok", "failed", "blocked", "skipped", "cancelled"] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export interface WebBatchItemTable {
  id: Generated<number>;
  batch_id: number;
  position: number;
  lead_id: number | null;
  orgnr: string | null;
  url: string | null;
  status: ItemStatus;
  retry_count: number;
  next_attempt_at: Instant | null;
  started_at: Instant | null;
  finished_at: Instant | null;
  duration_ms: number | null;
  error: string | null;
  /** JSON summary of the analysis. */
  result: string | null;
  analysis_id: number | null;
}
export type WebBatchItemRow = Selectable<WebBatchItemTable>;

export type AnalysisStatus = "ok" | "blocked" | "failed";

export interface WebAnalysisTable {
  id: Generated<number>;
  orgnr: string | null;
  lead_id: number | null;
  site: string;
  url: string;
  final_url: string | null;
  analysis: AnalysisType;
  status: AnalysisStatus;
  via: string | null;
  platform: string | null;
  /** JSON array of detections. */
  technologies: string;
  /** JSON: {pages: visited pages with status and how, notes, blocked, errorKind}. */
  pages: string;
  error: string | null;
  duration_ms: number | null;
  batch_id: number | null;
  analysed_at: Instant;
}
export type WebAnalysisRow = Selectable<WebAnalysisTable>;

export interface WebDetectionTable {
  analysis_id: number;
  name: string;
  grp: string;
  confidence: number;
  version: string | null;
}
