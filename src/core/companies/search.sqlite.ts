// SQLite-specific queries of the company search: FTS5 MATCH over company_fts, paged by rowid
// (the index's own order, so each page is a seek), and the rowid as the key of a page's companies.
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";
import type { KeySql } from "./search-rows.ts";
import type { CompanyKey } from "./search.ts";

/** The rowids of the next page of companies matching an FTS5 expression, after `after` (null: from the start). */
export async function matchingKeys(db: Db, match: string, after: CompanyKey | null, limit: number): Promise<CompanyKey[]> {
  const page = await sql<{ rowid: number }>`
    select rowid from company_fts where company_fts match ${match} and rowid > ${after ?? 0} order by rowid limit ${limit}`.execute(db);
  return page.rows.map((r) => r.rowid);
}

/** A company's key is its rowid (the FTS5 index's order); its row is every column. */
export const KEY_SQL: KeySql = {
  key: sql`c.rowid`,
  columns: sql`c.*`,
  keysIn: (keys) => sql`c.rowid in (select value from json_each(${JSON.stringify(keys)}))`,
};
