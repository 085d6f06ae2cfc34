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

/** The orgnrs of the next page of companies matching a tsquery, after `after` (null: from the start). */
export async function matchingKeys(db: Db, match: string, after: CompanyKey | null, limit: number): Promise<CompanyKey[]> {
  const page = await sql<{ orgnr: string }>`
    select orgnr from company where search @@ ${match}::tsquery and orgnr > ${String(after ?? "")}
    order by orgnr limit ${limit}`.execute(db);
  return page.rows.map((r) => r.orgnr);
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
