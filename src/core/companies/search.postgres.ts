// PostgreSQL-specific queries of the company search: a tsquery over the `company.search` column
// (GIN index), paged by orgnr (each page a seek on the primary key, or a bitmap of a rare word's
// matches), and the companies of a page by orgnr. Within a tier the order is the orgnr, where
// SQLite's is the rowid (the order the companies were written).
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";
import type { CompanyKey, CompanyLeadRow, CompanyQuery, CompanyRowsOf } from "./search.ts";

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

/** The name tier's words (`'w':AB`, `'w':*AB`) and places (`'town':B`) without weights, for the index of names and places. */
function nameWords(match: string): string | null {
  const terms = [...match.matchAll(/('(?:[^'\\]|\\.)*'):(\*)?A?B\b/g)].map((m) => (m[2] ? `${m[1]}:*` : (m[1] as string)));
  return /:\*?AB\b/.test(match) ? terms.join(" & ") : null;
}

/** Name matches the planner may expect for the index of names and places to be asked first. */
const NAME_ESTIMATE = 2500;

/** Name matches read from the index of names and places before a page is left to the planner. */
const NAME_CAP = 4000;

/**
 * The orgnrs of the next page of companies matching a tsquery, after `after` (null: from the
 * start), in orgnr order. The planner walks the primary key when it expects a page of matches
 * soon, and it cannot tell from the statistics of `search` when words are rare in names but
 * common in descriptions ("e-handel": a walk of the whole register for the name tier). So when
 * the statistics of the index of names and places (company_search_name) expect few companies
 * with a name tier's words, the page is read from that index, by a bitmap only, the weights and
 * filters checked on those companies; only when there are NAME_CAP of them after all is it the
 * planner's query.
 */
export async function matchingKeys(db: Db, match: string, after: CompanyKey | null, limit: number): Promise<CompanyKey[]> {
  const from = String(after ?? "");
  const words = nameWords(match);
  if (words && (await expectedNames(db, words)) <= NAME_ESTIMATE) {
    const few = await inTransaction(db, async (trx) => {
      await sql`select set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)`.execute(trx);
      return sql<{ orgnr: string; search: boolean }>`
        select orgnr, search @@ ${match}::tsquery as search from (
          select orgnr, search from company where ts_filter(search, '{a,b}') @@ ${words}::tsquery and orgnr > ${from}
          limit ${NAME_CAP}) c`.execute(trx);
    });
    if (few.rows.length < NAME_CAP)
      return few.rows
        .filter((r) => r.search)
        .map((r) => r.orgnr)
        .sort()
        .slice(0, limit);
  }
  const page = await sql<{ orgnr: string }>`
    select orgnr from company where search @@ ${match}::tsquery and orgnr > ${from}
    order by orgnr limit ${limit}`.execute(db);
  return page.rows.map((r) => r.orgnr);
}

/** The planner's estimate of the companies whose names or places have these words. */
async function expectedNames(db: Db, words: string): Promise<number> {
  // The connection reads json as its text (src/core/db/connection.postgres.ts).
  const plan = await sql<{ "QUERY PLAN": string }>`
    explain (format json) select 1 from company where ts_filter(search, '{a,b}') @@ ${words}::tsquery`.execute(db);
  const text = plan.rows[0]?.["QUERY PLAN"];
  const rows = text ? (JSON.parse(text) as Array<{ Plan?: { "Plan Rows"?: number } }>)[0]?.Plan?.["Plan Rows"] : undefined;
  return rows ?? Number.POSITIVE_INFINITY;
}

/** `fn` in a transaction of its own, or in the caller's (its settings then reset after). */
async function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  if (!db.isTransaction) return db.transaction().execute(fn);
  try {
    return await fn(db);
  } finally {
    await sql`reset enable_seqscan; reset enable_indexscan`.execute(db);
  }
}

/** The companies asked for that pass the query's filters, with their lead, in orgnr order. */
export async function companyRows(db: Db, which: CompanyRowsOf, s: CompanyQuery): Promise<CompanyLeadRow[]> {
  const filters = ["orgnr" in which ? sql`c.orgnr = ${which.orgnr}` : sql`c.orgnr = any(${which.keys.map(String)}::text[])`];
  if (s.minRevenueTkr !== undefined) filters.push(sql`c.revenue_tkr >= ${s.minRevenueTkr}`);
  if (s.active) filters.push(sql`c.status = 'active' and c.missing_since is null`);
  if (!s.includeReklamsparr) filters.push(sql`c.reklamsparr = 0`);
  const rows = await sql<CompanyLeadRow>`
    select ${sql.raw(COLUMNS)}, l.id as lead_id
    from company c left join lead l on l.orgnr = c.orgnr
    where ${sql.join(filters, sql` and `)}
    order by c.orgnr`.execute(db);
  return rows.rows;
}
