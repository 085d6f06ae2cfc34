import { type SelectQueryBuilder, sql } from "kysely";
import type { Database } from "../db/database.ts";
import type { Db } from "../db/handle.ts";

/** Which part of a list to return: `limit` null is every item from `offset` on. */
export interface Page {
  limit: number | null;
  offset: number;
}

/** One page of a list and how many items the whole list has. */
export interface Paged<T> {
  items: T[];
  total: number;
}

export const WHOLE_LIST: Page = { limit: null, offset: 0 };

/** A page of a list already in memory. */
export function pageOf<T>(all: readonly T[], page: Page): Paged<T> {
  const end = page.limit === null ? undefined : page.offset + page.limit;
  return { items: all.slice(page.offset, end), total: all.length };
}

/**
 * Runs an ordered query for one page and counts every row it would return without the page
 * (the count runs over the same query, so the filters are written once).
 */
export async function pageRows<DB extends Database, TB extends keyof DB, O>(
  db: Db,
  q: SelectQueryBuilder<DB, TB, O>,
  page: Page,
): Promise<Paged<O>> {
  // SQLite takes no OFFSET without a LIMIT: "all" is the largest safe integer.
  const rows = await q
    .limit(page.limit ?? Number.MAX_SAFE_INTEGER)
    .offset(page.offset)
    .execute();
  // A short page that is not empty (or the first page) ends the list: no count needed.
  const short = page.limit === null || rows.length < page.limit;
  if (short && (rows.length > 0 || page.offset === 0)) return { items: rows, total: page.offset + rows.length };
  const counted = q.clearSelect().clearOrderBy().select(sql<number>`1`.as("one")).as("counted");
  const r = await db.selectFrom(counted).select(sql<number>`count(*)`.as("n")).executeTakeFirst();
  return { items: rows, total: Number(r?.n ?? 0) };
}
