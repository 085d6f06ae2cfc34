// PostgreSQL twin of summary.sqlite.ts: the latest successful analysis of each of a list of
// companies (passed as one text array, unnest), with its detections.
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";
import type { AnalysisDetection } from "./summary.sqlite.ts";

/** One row per detection of the latest successful analysis of each company (one with null name when it has none). */
export async function latestAnalysisDetections(db: Db, orgnrs: readonly string[]): Promise<AnalysisDetection[]> {
  const rows = await sql<AnalysisDetection>`
    select a.orgnr, a.platform, a.analysed_at, d.name, d.grp
    from web_analysis a left join web_detection d on d.analysis_id = a.id
    where a.id in (
      select (select id from web_analysis w where w.orgnr = o.orgnr and w.status = 'ok' order by w.analysed_at desc, w.id desc limit 1)
      from unnest(${[...orgnrs]}::text[]) as o(orgnr))`.execute(db);
  return rows.rows;
}
