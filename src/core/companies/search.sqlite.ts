// SQLite-specific queries of the company search: FTS5 MATCH over company_fts, paged by rowid
// (the index's own order, so each page is a seek), and the companies of a page by rowid.
import { sql, type RawBuilder } from "kysely";
import type { Db } from "../db/handle.ts";
import type { CompanyKey, CompanyLeadRow, CompanyPlace, CompanyQuery, CompanyRowsOf } from "./search.ts";

/** The rowids of the next page of companies matching an FTS5 expression, after `after` (null: from the start). */
export async function matchingKeys(db: Db, match: string, after: CompanyKey | null, limit: number): Promise<CompanyKey[]> {
  const page = await sql<{ rowid: number }>`
    select rowid from company_fts where company_fts match ${match} and rowid > ${after ?? 0} order by rowid limit ${limit}`.execute(db);
  return page.rows.map((r) => r.rowid);
}

/** The companies asked for that pass the query's filters, with their lead, in rowid order. */
export async function companyRows(db: Db, which: CompanyRowsOf, s: CompanyQuery): Promise<CompanyLeadRow[]> {
  const rows = await sql<CompanyLeadRow>`
    select c.*, c.rowid as key, l.id as lead_id
    from company c left join lead l on l.orgnr = c.orgnr
    where ${sql.join(filters(which, s), sql` and `)}
    order by c.rowid`.execute(db);
  return rows.rows;
}

/** The place names of the companies of a page that pass the query's filters in the table, in rowid order. */
export async function companyPlaces(db: Db, keys: readonly CompanyKey[], s: CompanyQuery): Promise<CompanyPlace[]> {
  const rows = await sql<CompanyPlace>`
    select c.rowid as key, c.town, c.municipality from company c
    where ${sql.join(filters({ keys }, s), sql` and `)}
    order by c.rowid`.execute(db);
  return rows.rows;
}

function filters(which: CompanyRowsOf, s: CompanyQuery): RawBuilder<unknown>[] {
  const where = [
    "orgnr" in which ? sql`c.orgnr = ${which.orgnr}` : sql`c.rowid in (select value from json_each(${JSON.stringify(which.keys)}))`,
  ];
  if (s.minRevenueTkr !== undefined) where.push(sql`c.revenue_tkr >= ${s.minRevenueTkr}`);
  if (s.active) where.push(sql`c.status = 'active' and c.missing_since is null`);
  if (!s.includeReklamsparr) where.push(sql`c.reklamsparr = 0`);
  return where;
}
