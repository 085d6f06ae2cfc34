import type BetterSqlite3 from "better-sqlite3";
import { openSqliteStore } from "./connection.sqlite.ts";
import type { Dialect } from "./dialect.ts";
import type { Db } from "./sqlite.ts";

export interface Store {
  db: Db;
  /** The SQL dialect of `db` (see dialect.ts). */
  dialect: Dialect;
  /** The raw handle, for the SQLite-specific places only (migrations, bulk loads). */
  sqlite: BetterSqlite3.Database;
  path: string;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  busyTimeoutMs: number;
  migrationsDir?: string;
  /** Called with each query's SQL and duration (`--verbose` with LEADJOBS_TRACE_SQL=1). */
  traceSql?: ((sql: string, ms: number) => void) | undefined;
  /**
   * The caller only reads: a missing (or zero-byte) file is a UsageError and nothing is created,
   * so a mistyped path fails instead of showing an empty database.
   */
  mustExist?: boolean | undefined;
}

/** Opens and migrates the store: today always a SQLite file (connection.sqlite.ts). */
export function openStore(path: string, opts: OpenStoreOptions): Promise<Store> {
  return openSqliteStore(path, opts);
}
