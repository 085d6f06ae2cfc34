// The companies of a search's page, read from the table by their keys (SQLite's rowid, the
// orgnr on PostgreSQL: each backend's KEY_SQL), with the filters the table answers.
import { type RawBuilder, sql } from "kysely";
import { byDialect } from "../db/dialect.ts";
import type { Db } from "../db/handle.ts";
import type { CompanyKey, CompanyLeadRow, CompanyPlace, CompanyQuery, CompanyRowsOf } from "./search.ts";
import * as postgres from "./search.postgres.ts";
import * as sqlite from "./search.sqlite.ts";

/** How a backend names a company's key, its columns, and a page of keys, over `company c`. */
export interface KeySql {
  key: RawBuilder<unknown>;
  /** The columns of CompanyRow. */
  columns: RawBuilder<unknown>;
  keysIn(keys: readonly CompanyKey[]): RawBuilder<unknown>;
}

/** The companies asked for that pass the query's filters, with their key and lead, in key order. */
export async function companyRows(db: Db, which: CompanyRowsOf, s: CompanyQuery): Promise<CompanyLeadRow[]> {
  const k = keySql(db);
  const rows = await sql<CompanyLeadRow>`
    select ${k.columns}, ${k.key} as key, l.id as lead_id
    from company c left join lead l on l.orgnr = c.orgnr
    where ${filters(k, which, s)}
    order by ${k.key}`.execute(db);
  return rows.rows;
}

/** The place names of the companies of a page that pass the query's filters in the table, in key order. */
export async function companyPlaces(db: Db, keys: readonly CompanyKey[], s: CompanyQuery): Promise<CompanyPlace[]> {
  const k = keySql(db);
  const rows = await sql<CompanyPlace>`
    select ${k.key} as key, c.town, c.municipality from company c
    where ${filters(k, { keys }, s)}
    order by ${k.key}`.execute(db);
  return rows.rows;
}

const keySql = (db: Db): KeySql => byDialect(db, { sqlite: sqlite.KEY_SQL, postgres: postgres.KEY_SQL });

/** The companies asked for (one by its number, or a page by key), then revenue, active and reklamspärr. */
function filters(k: KeySql, which: CompanyRowsOf, s: CompanyQuery): RawBuilder<unknown> {
  const where = ["orgnr" in which ? sql`c.orgnr = ${which.orgnr}` : k.keysIn(which.keys)];
  if (s.minRevenueTkr !== undefined) where.push(sql`c.revenue_tkr >= ${s.minRevenueTkr}`);
  if (s.active) where.push(sql`c.status = 'active' and c.missing_since is null`);
  if (!s.includeReklamsparr) where.push(sql`c.reklamsparr = 0`);
  return sql.join(where, sql` and `);
}
