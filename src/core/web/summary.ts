import { sql } from "kysely";
import type { Db } from "../db/sqlite.ts";

/** What a lead analysis needs to know of a company's website, from its latest successful analysis. */
export interface WebSummary {
  platform: string | null;
  /** Payment and checkout solutions, delivery checkouts included. */
  checkout: string[];
  carriers: string[];
  analysedAt: string;
}

/** The latest successful website analysis of each company, summarised; companies without one are absent. */
export async function latestWebSummaries(db: Db, orgnrs: readonly string[]): Promise<Map<string, WebSummary>> {
  const out = new Map<string, WebSummary>();
  if (orgnrs.length === 0) return out;
  const rows = await sql<{ orgnr: string; platform: string | null; analysed_at: string; name: string | null; grp: string | null }>`
    select a.orgnr, a.platform, a.analysed_at, d.name, d.grp
    from web_analysis a left join web_detection d on d.analysis_id = a.id
    where a.id in (
      select (select id from web_analysis w where w.orgnr = o.value and w.status = 'ok' order by w.analysed_at desc, w.id desc limit 1)
      from json_each(${JSON.stringify(orgnrs)}) as o)`.execute(db);
  for (const r of rows.rows) {
    let s = out.get(r.orgnr);
    if (!s) out.set(r.orgnr, (s = { platform: r.platform, checkout: [], carriers: [], analysedAt: r.analysed_at }));
    if (r.name === null) continue;
    if (r.grp === "payment" || r.grp === "delivery") s.checkout.push(r.name);
    else if (r.grp === "carrier") s.carriers.push(r.name);
  }
  return out;
}
