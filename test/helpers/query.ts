import BetterSqlite3 from "better-sqlite3";
import { onPostgres, postgresSync, testDatabase } from "./backend.ts";

/**
 * Runs one read-only query on the database a test names by path (to check what a command wrote,
 * or did not write): the file, or its PostgreSQL database in the postgres run (helpers/backend.ts).
 */
export function query<T = Record<string, unknown>>(db: string, sql: string, ...params: unknown[]): T[] {
  if (onPostgres) return postgresSync<T>(testDatabase(db), sql, params);
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

/** Runs one write statement from outside the process's own connection (a second writer, on either backend). */
export function writeSync(db: string, sql: string, ...params: unknown[]): void {
  if (onPostgres) {
    postgresSync(testDatabase(db), sql, params);
    return;
  }
  const raw = new BetterSqlite3(db);
  try {
    raw.pragma("busy_timeout = 5000");
    raw.prepare(sql).run(...params);
  } finally {
    raw.close();
  }
}
