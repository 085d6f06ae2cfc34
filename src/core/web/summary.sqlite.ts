// SQLite-specific query of the website summaries: the latest successful analysis of each of a
// list of companies (passed as one JSON array, json_each), with its detections.
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";

export interface AnalysisDetection {
  orgnr: string;
  platform: string | null;
  analysed_at: string;
  /** The detection; null for an analysis that detected nothing. */
  name: string | null;
  grp: string | null;
}

/** One row per detection of the latest successful analysis of each company (one with null name when it has none). */
export async function latestAnalysisDetections(db: Db, orgnrs: readonly string[]): Promise<AnalysisDetection[]> {
  const rows = await sql<AnalysisDetection>`
    select a.orgnr, a.platform, a.analysed_at, d.name, d.grp
    from web_analysis a left join web_detection d on d.analysis_id = a.id
    where a.id in (
      select (select id from web_analysis w where w.orgnr = o.value and w.status = 'ok' order by w.analysed_at desc, w.id desc limit 1)
      from json_each(${JSON.stringify(orgnrs)}) as o)`.execute(db);
  return rows.rows;
}
