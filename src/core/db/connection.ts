import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";
import { importPgModule } from "./pg-import.ts";
import { openSqliteStore } from "./connection.sqlite.ts";
import type { Db } from "./handle.ts";
import { isPostgresUrl } from "./url.ts";

interface StoreBase {
  db: Db;
  /** What messages name the database by: the file path, or the URL without its password. */
  path: string;
  close(): Promise<void>;
}

export interface SqliteStore extends StoreBase {
  /** The SQL dialect of `db` (see dialect.ts). */
  dialect: "sqlite";
  /** The raw handle, for the SQLite-specific places only (migrations, bulk loads). */
  sqlite: BetterSqlite3.Database;
}

export interface PostgresStore extends StoreBase {
  dialect: "postgres";
  /** The pool under `db`, for the PostgreSQL-specific places only (COPY, LISTEN). */
  pool: pg.Pool;
  /** The URL as given (with its password): for a LISTEN connection of its own. */
  url: string;
}

export type Store = SqliteStore | PostgresStore;

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
  /** PostgreSQL: the most connections this process opens (a worker's concurrency and its lease keeper). */
  poolSize?: number | undefined;
}

/** Opens and migrates the store: a postgres:// URL is PostgreSQL (loaded only then), anything else a SQLite file. */
export async function openStore(db: string, opts: OpenStoreOptions): Promise<Store> {
  if (isPostgresUrl(db)) return (await importPgModule(() => import("./connection.postgres.ts"))).openPostgresStore(db, opts);
  return openSqliteStore(db, opts);
}
