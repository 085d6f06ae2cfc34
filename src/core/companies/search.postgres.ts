// PostgreSQL-specific queries of the company search: a tsquery over the `company.search` column
// (GIN index), paged in the table's physical order within one snapshot (a search) or by orgnr
// (a job that reads thousands, page by page), and the orgnr as the key of a page's companies.
// Within a tier a search's order is the table's, as SQLite's is the rowid's: roughly the order
// the companies were written.
import { type RawBuilder, sql } from "kysely";
import type { Db } from "../db/handle.ts";
import type { KeySql } from "./search-rows.ts";
import type { CompanyKey, CompanyQuery, SearchCursor } from "./search.ts";

/** The columns of CompanyRow: `c.*` would also read the search vector, which nothing here uses. */
const COLUMNS = [
  "orgnr",
  "name",
  "legal_form",
  "status",
  "street",
  "postcode",
  "town",
  "municipality",
  "sni_codes",
  "description",
  "website",
  "revenue_tkr",
  "employees",
  "reklamsparr",
  "registered_on",
  "deregistered_on",
  "source",
  "created_at",
  "updated_at",
  "alt_names",
  "co_address",
  "seen_import_id",
  "missing_since",
  "enriched_at",
]
  .map((c) => `c.${c}`)
  .join(", ");

/**
 * Memory for the bitmaps of one page's query. A word searched as a prefix collects the matches
 * of all its words into a bitmap; past work_mem (4 MB by default) the bitmap keeps whole pages of
 * the table instead of rows, and PostgreSQL 15 then lost matches of an OR of prefixes (`bygg
 * göteborg` 8,091 of 8,138 companies on the 1.8-million register) besides rereading every row of
 * those pages. 64 MB holds a bitmap of every row of a register several times that size.
 */
const WORK_MEM = "64MB";

/**
 * The settings of a search in the table's physical order: every plan PostgreSQL can choose for
 * `search @@ … and ctid > …` without an ORDER BY then returns rows in ctid order (a bitmap heap
 * scan, a TID range scan, a sequential scan that starts at the first page). A parallel scan or
 * a sequential scan that joins another one midway would not; `physicalPage` checks anyway.
 */
const PHYSICAL_ORDER = { max_parallel_workers_per_gather: "0", synchronize_seqscans: "off" };

/**
 * The orgnrs of the next page of companies matching a tsquery, after the cursor `after` (null:
 * from the start). In orgnr order (`physical` false): each page a seek on the primary key or a
 * bitmap of the matches, sorted, so pages read at different times neither skip nor repeat a
 * company. In the table's physical order (`physical`): the scan stops after `limit` matches
 * instead of reading every match's row to sort them, several times faster for a common word;
 * only inside `inSnapshot`, where a company updated meanwhile keeps its place.
 */
export async function matchingKeys(
  db: Db,
  match: string,
  s: CompanyQuery,
  after: SearchCursor | null,
  limit: number,
  physical: boolean,
): Promise<{ keys: CompanyKey[]; next: SearchCursor }> {
  const where = sql`search @@ ${match}::tsquery and ${tableFilters(s)}`;
  if (physical) return physicalPage(db, where, after === null ? null : String(after), limit);
  const page = await withSettings(db, { work_mem: WORK_MEM }, (trx) =>
    sql<{ orgnr: string }>`
      select orgnr from company where ${where} and orgnr > ${String(after ?? "")}
      order by orgnr limit ${limit}`.execute(trx),
  );
  const keys = page.rows.map((r) => r.orgnr);
  return { keys, next: keys[keys.length - 1] ?? after ?? "" };
}

/**
 * What buildMatches leaves out of the tsquery for the rows to answer: active and reklamspärr,
 * true of most companies (a word of nearly every company is the slowest a GIN query can AND).
 */
function tableFilters(s: CompanyQuery): RawBuilder<unknown> {
  const where = [sql`true`];
  if (s.active) where.push(sql`status = 'active' and missing_since is null`);
  if (!s.includeReklamsparr) where.push(sql`reklamsparr = 0`);
  return sql.join(where, sql` and `);
}

async function physicalPage(
  db: Db,
  where: RawBuilder<unknown>,
  after: string | null,
  limit: number,
): Promise<{ keys: CompanyKey[]; next: SearchCursor }> {
  const from = after === null ? sql`` : sql`and ctid > ${after}::tid`;
  const select = (order: RawBuilder<unknown>) =>
    sql<{ orgnr: string; at: string }>`
      select orgnr, ctid::text as at from company where ${where} ${from} ${order} limit ${limit}`.execute(db);
  let { rows } = await select(sql``);
  // A plan that did not keep the physical order: sort, at the cost of reading every match.
  if (!rows.every((r, i) => i === 0 || tidBefore((rows[i - 1] as { at: string }).at, r.at))) rows = (await select(sql`order by ctid`)).rows;
  return { keys: rows.map((r) => r.orgnr), next: rows[rows.length - 1]?.at ?? after ?? "(0,0)" };
}

/** Whether tuple id `a` ("(page,item)") comes before `b`. */
function tidBefore(a: string, b: string): boolean {
  const [pa, ia] = a.slice(1, -1).split(",").map(Number) as [number, number];
  const [pb, ib] = b.slice(1, -1).split(",").map(Number) as [number, number];
  return pa < pb || (pa === pb && ia < ib);
}

/**
 * `fn` in one read-only snapshot (repeatable read) with the settings of a search in physical
 * order, so the tuple ids of its pages stay put; in the caller's transaction when there is one.
 */
export function inSnapshot<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return withSettings(db, { work_mem: WORK_MEM, ...PHYSICAL_ORDER }, fn, true);
}

/**
 * `fn` with `settings`, in a transaction of its own (repeatable read and read only with
 * `snapshot`), or in the caller's: then the settings are put back to what the caller had (a
 * RESET would drop the caller's own setting, for the session once it commits).
 */
async function withSettings<T>(db: Db, settings: Record<string, string>, fn: (trx: Db) => Promise<T>, snapshot = false): Promise<T> {
  const names = Object.keys(settings);
  const set = (trx: Db, values: Record<string, string>) =>
    sql`select ${sql.join(names.map((n) => sql`set_config(${n}, ${values[n]}, true)`))}`.execute(trx);
  if (!db.isTransaction) {
    const tx = snapshot ? db.transaction().setIsolationLevel("repeatable read").setAccessMode("read only") : db.transaction();
    return tx.execute(async (trx) => {
      await set(trx, settings);
      return fn(trx);
    });
  }
  const { rows } = await sql<
    Record<string, string>
  >`select ${sql.join(names.map((n) => sql`current_setting(${n}) as ${sql.ref(n)}`))}`.execute(db);
  const before = rows[0] as Record<string, string>;
  await set(db, settings);
  try {
    return await fn(db);
  } finally {
    await set(db, before);
  }
}

/** A company's key is its orgnr; its row is COLUMNS. */
export const KEY_SQL: KeySql = {
  key: sql`c.orgnr`,
  columns: sql.raw(COLUMNS),
  keysIn: (keys) => sql`c.orgnr = any(${keys.map(String)}::text[])`,
};
