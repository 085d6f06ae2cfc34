import BetterSqlite3 from "better-sqlite3";

/** Runs one read-only query on a database file (to check what a command wrote, or did not write). */
export function query<T = Record<string, unknown>>(db: string, sql: string, ...params: unknown[]): T[] {
  const raw = new BetterSqlite3(db, { readonly: true });
  try {
    return raw.prepare(sql).all(...params) as T[];
  } finally {
    raw.close();
  }
}

/** Row counts of tables, to assert that a command wrote nothing. */
export function counts(db: string, tables: string[]): Record<string, number> {
  return Object.fromEntries(tables.map((t) => [t, (query<{ n: number }>(db, `select count(*) as n from ${t}`)[0] as { n: number }).n]));
}
