// PostgreSQL-specific queries of the company search: a tsquery over the `company.search` column
// (GIN index), paged by orgnr (each page a seek on the primary key, or a bitmap of a rare word's
// matches), and the orgnr as the key of a page's companies. Within a tier the order is the
// orgnr, where SQLite's is the rowid (the order the companies were written).
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";
import type { KeySql } from "./search-rows.ts";
import type { CompanyKey } from "./search.ts";

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
 * The orgnrs of the next page of companies matching a tsquery, after `after` (null: from the
 * start), in orgnr order. GIN answers the tsquery exactly (it has no weights), and its statistics
 * count each word per field, so the planner can choose between the index's matches, sorted, and a
 * walk of the primary key.
 */
export async function matchingKeys(db: Db, match: string, after: CompanyKey | null, limit: number): Promise<CompanyKey[]> {
  const page = await inTransaction(db, async (trx) => {
    await sql`select set_config('work_mem', ${WORK_MEM}, true)`.execute(trx);
    return sql<{ orgnr: string }>`
      select orgnr from company where search @@ ${match}::tsquery and orgnr > ${String(after ?? "")}
      order by orgnr limit ${limit}`.execute(trx);
  });
  return page.rows.map((r) => r.orgnr);
}

/**
 * `fn` in a transaction of its own, or in the caller's: then work_mem is put back to what the
 * caller had (a RESET would drop the caller's own setting, for the session once it commits).
 */
async function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  if (!db.isTransaction) return db.transaction().execute(fn);
  const { rows } = await sql<{ setting: string }>`select current_setting('work_mem') as setting`.execute(db);
  try {
    return await fn(db);
  } finally {
    await sql`select set_config('work_mem', ${rows[0]?.setting}, true)`.execute(db);
  }
}

/** A company's key is its orgnr; its row is COLUMNS. */
export const KEY_SQL: KeySql = {
  key: sql`c.orgnr`,
  columns: sql.raw(COLUMNS),
  keysIn: (keys) => sql`c.orgnr = any(${keys.map(String)}::text[])`,
};
