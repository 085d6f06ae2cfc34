import { sql } from "kysely";
import type { Db } from "../db/handle.ts";
import { changesForAnalysis, describeChange } from "./changes.ts";

/** How many analysed sites use each technology of a group, most used first. */
export interface TechnologyCounts {
  /** Sites (companies, or hosts without a company) with a successful analysis. */
  sites: number;
  platforms: Array<{ name: string; sites: number }>;
  /** Payment and delivery checkouts. */
  checkouts: Array<{ name: string; sites: number }>;
  carriers: Array<{ name: string; sites: number }>;
}

/** Technologies across analysed sites, each site counted by its latest successful analysis. */
export async function technologyCounts(db: Db): Promise<TechnologyCounts> {
  // row_number() is standard SQL: the same text runs on SQLite and PostgreSQL.
  const latest = sql`(select id from (
      select id, row_number() over (partition by coalesce(orgnr, site) order by analysed_at desc, id desc) as rn
      from web_analysis where status = 'ok') as ranked where rn = 1)`;
  const sites = await sql<{ n: number }>`select count(*) as n from ${latest} as l`.execute(db);
  const rows = await sql<{ grp: string; name: string; n: number }>`
    select d.grp, d.name, count(*) as n from web_detection d
    where d.analysis_id in ${latest} and d.grp in ('platform', 'payment', 'delivery', 'carrier')
    group by d.grp, d.name
    order by n desc, d.name`.execute(db);
  const of = (groups: string[]) => {
    const merged = new Map<string, number>();
    for (const r of rows.rows) if (groups.includes(r.grp)) merged.set(r.name, (merged.get(r.name) ?? 0) + r.n);
    return [...merged].map(([name, n]) => ({ name, sites: n })).sort((a, b) => b.sites - a.sites || a.name.localeCompare(b.name));
  };
  return { sites: sites.rows[0]?.n ?? 0, platforms: of(["platform"]), checkouts: of(["payment", "delivery"]), carriers: of(["carrier"]) };
}

export interface RecentWebChange {
  site: string;
  orgnr: string | null;
  leadId: number | null;
  at: string;
  /** As `web show` words it: "payment: switched from Klarna to Walley on 2026-11-02". */
  text: string;
}

/** What the latest successful analyses found changed, newest first (looks at the last `scan` analyses). */
export async function recentWebChanges(db: Db, o: { limit: number; scan?: number }): Promise<RecentWebChange[]> {
  const analyses = await db
    .selectFrom("web_analysis")
    .select(["id", "site", "orgnr", "lead_id", "analysed_at"])
    .where("status", "=", "ok")
    .orderBy("analysed_at", "desc")
    .orderBy("id", "desc")
    .limit(o.scan ?? 50)
    .execute();
  const out: RecentWebChange[] = [];
  for (const a of analyses) {
    for (const c of await changesForAnalysis(db, a.id)) {
      out.push({ site: a.site, orgnr: a.orgnr, leadId: a.lead_id, at: c.at, text: describeChange(c) });
      if (out.length >= o.limit) return out;
    }
  }
  return out;
}
