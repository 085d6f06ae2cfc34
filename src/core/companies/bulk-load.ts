// What a bulk loader of `companies import` takes and returns, whatever the dialect; the SQLite
// loader is bulk-load.sqlite.ts.
import type { CompanyRecord } from "./record.ts";

export interface LoadedRow {
  record: CompanyRecord;
  line: number;
}

export interface RejectedRow {
  line: number;
  reason: string;
}

export interface BatchCounts {
  imported: number;
  updated: number;
  unchanged: number;
  /** Companies that became deregistered with this batch. */
  deregistered: number;
}

/** Stored with their line and reason; more than this many per import are only counted. */
export const MAX_STORED_REJECTS = 1000;
