// SQLite-specific queries of the company search: FTS5 MATCH over company_fts, paged by rowid
// (the index's own order, so each page is a seek), and the companies of a page by rowid.
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";
import type { CompanyKey, CompanyLeadRow, CompanyQuery, CompanyRowsOf } from "./search.ts";

/** The rowids of the next page of companies matching an FTS5 expression, after `after` (null: from the start). */
export async function matchingKeys(db: Db, match: string, after: CompanyKey | null, limit: number): Promise<CompanyKey[]> {
  const page = await sql<{ rowid: number }>`
    select rowid from company_fts where company_fts match ${match} and rowid > ${after ?? 0} order by rowid limit ${limit}`.execute(db);
  return page.rows.map((r) => r.rowid);
}

/** The companies asked for that pass the query's filters, with their lead, in rowid order. */
export async function companyRows(db: Db, which: CompanyRowsOf, s: CompanyQuery): Promise<CompanyLeadRow[]> {
  const filters = [
    "orgnr" in which ? sql`c.orgnr = ${which.orgnr}` : sql`c.rowid in (select value from json_each(${JSON.stringify(which.keys)}))`,
  ];
  if (s.minRevenueTkr !== undefined) filters.push(sql`c.revenue_tkr >= ${s.minRevenueTkr}`);
  if (s.active) filters.push(sql`c.status = 'active' and c.missing_since is null`);
  if (!s.includeReklamsparr) filters.push(sql`c.reklamsparr = 0`);
  const rows = await sql<CompanyLeadRow>`
    select c.*, l.id as lead_id
    from company c left join lead l on l.orgnr = c.orgnr
    where ${sql.join(filters, sql` and `)}
    order by c.rowid`.execute(db);
  return rows.rows;
}
