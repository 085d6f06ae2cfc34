import type { Generated } from "kysely";
import type { Instant } from "../time.ts";

/** Which user tracks which company, at what rank (the refresh cadence reads it). */
export interface TrackingTables {
  company_tracking: CompanyTrackingTable;
}

export interface CompanyTrackingTable {
  id: Generated<number>;
  user_id: number;
  orgnr: string;
  rank: number;
  /** JSON array of lower-case keywords. */
  keywords: string;
  created_at: Instant;
  updated_at: Instant;
}
