// SQLite-specific queries of the company search: FTS5 MATCH over company_fts, paged by rowid
// (the index's own order, so each page is a seek), and the rowid as the key of a page's companies.
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";
import type { KeySql } from "./search-rows.ts";
import type { CompanyKey, CompanyQuery, SearchCursor } from "./search.ts";

/**
 * The rowids of the next page of companies matching an FTS5 expression, after `after` (null:
 * from the start). The expression holds every filter of the index (buildFtsQuery), and the rowid is
 * both the index's and the table's order: `s` and `physical` change nothing.
 */
export async function matchingKeys(
  db: Db,
  match: string,
  _s: CompanyQuery,
  after: SearchCursor | null,
  limit: number,
  _physical: boolean,
): Promise<{ keys: CompanyKey[]; next: SearchCursor }> {
  const page = await sql<{ rowid: number }>`
    select rowid from company_fts where company_fts match ${match} and rowid > ${after ?? 0} order by rowid limit ${limit}`.execute(db);
  const keys = page.rows.map((r) => r.rowid);
  return { keys, next: keys[keys.length - 1] ?? after ?? 0 };
}

/** `fn` as it is: a rowid never moves, so pages read at different times need no snapshot. */
export function inSnapshot<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return fn(db);
}

/** A company's key is its rowid (the FTS5 index's order); its row is every column. */
export const KEY_SQL: KeySql = {
  key: sql`c.rowid`,
  columns: sql`c.*`,
  keysIn: (keys) => sql`c.rowid in (select value from json_each(${JSON.stringify(keys)}))`,
};
