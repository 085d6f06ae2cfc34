// What `leadjobs db info` reports about a database: backend and its version, migration level,
// size, and the database as users see it. It opens the database as it is, without migrating it
// (info.sqlite.ts, info.postgres.ts): it only reads.
import type { Dialect } from "./dialect.ts";
import type { Db } from "./handle.ts";
import * as sqlite from "./info.sqlite.ts";
import { findMigrationsDir, readMigrations } from "./migrate.ts";
import { isPostgresUrl } from "./url.ts";

export interface DatabaseInfo {
  backend: Dialect;
  /** SQLite's library version, or PostgreSQL's `server_version`. */
  version: string;
  /** The file path, or the URL without its password. */
  database: string;
  migrations: {
    /** The newest applied migration's name (null for none). */
    latest: string | null;
    applied: number;
    /** Migrations this binary has that the database has not applied. */
    pending: string[];
  };
  /** The file with its -wal on SQLite; `pg_database_size(current_database())` on PostgreSQL. */
  sizeBytes: number;
}

/** A connection to a database that was not migrated on opening. */
export interface InfoConnection {
  db: Db;
  dialect: Dialect;
  /** What messages name the database by: the file path, or the URL without its password. */
  path: string;
  close(): Promise<void>;
}

/** Reads what `db info` shows from the database `target` (a file or a postgres:// URL); writes nothing. */
export async function databaseInfo(target: string, o: { busyTimeoutMs: number }): Promise<DatabaseInfo> {
  const postgres = isPostgresUrl(target) ? await import("./info.postgres.ts") : undefined;
  const impl = postgres ?? sqlite;
  const conn = postgres ? await postgres.openForInfo(target, o) : sqlite.openForInfo(target, o);
  try {
    const applied = await impl.appliedMigrations(conn.db, conn.path);
    const done = new Set(applied);
    const known = readMigrations(findMigrationsDir(conn.dialect)).map((m) => m.name);
    return {
      backend: conn.dialect,
      version: await impl.serverVersion(conn.db),
      database: conn.path,
      migrations: { latest: applied.at(-1) ?? null, applied: applied.length, pending: known.filter((n) => !done.has(n)) },
      sizeBytes: await impl.databaseSize(conn.db, conn.path),
    };
  } finally {
    await conn.close();
  }
}
