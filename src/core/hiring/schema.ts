import type { Generated, Selectable } from "kysely";
import type { Instant } from "../time.ts";

/** The hiring signal of companies, read from their careers pages (migration 0008). */
export interface HiringTables {
  hiring_snapshot: HiringSnapshotTable;
  hiring_position: HiringPositionTable;
}

export type HiringSource = "json-ld" | "links";

/** What a company's careers page listed; one row per distinct state. */
export interface HiringSnapshotTable {
  id: Generated<number>;
  orgnr: string;
  /** The page the positions were read from; null when no careers page was found. */
  careers_url: string | null;
  source: HiringSource | null;
  position_count: number;
  /** JSON array of {title, url, location}. */
  positions: string;
  /** Identity of careers_url and the positions: equal digests mean nothing changed. */
  digest: string;
  first_seen_at: Instant;
  last_seen_at: Instant;
  checks: Generated<number>;
  analysis_id: number | null;
}
export type HiringSnapshotRow = Selectable<HiringSnapshotTable>;

/** A position a company has listed; open while `closed_at` is null. */
export interface HiringPositionTable {
  id: Generated<number>;
  orgnr: string;
  /** The posting's URL, else its folded title. */
  key: string;
  title: string;
  url: string | null;
  location: string | null;
  first_seen_at: Instant;
  last_seen_at: Instant;
  closed_at: Instant | null;
}
export type HiringPositionRow = Selectable<HiringPositionTable>;
