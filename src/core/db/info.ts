// What `leadjobs db info` reports about a store: backend and its version, migration level, size,
// and the database as users see it. The version and size queries differ per dialect
// (info.sqlite.ts, info.postgres.ts); the migration level is portable.
import type { Store } from "./connection.ts";
import { byDialect, type Dialect } from "./dialect.ts";
import * as postgres from "./info.postgres.ts";
import * as sqlite from "./info.sqlite.ts";
import { findMigrationsDir, readMigrations } from "./migrate.ts";

export interface DatabaseInfo {
  backend: Dialect;
  /** SQLite's library version, or PostgreSQL's `server_version`. */
  version: string;
  /** The file path, or the URL without its password (`store.path`). */
  database: string;
  migrations: {
    /** The newest applied migration's name (null for none). */
    latest: string | null;
    applied: number;
    /** Migrations this binary has that the database has not applied (none after a normal open). */
    pending: string[];
  };
  /** The file with its -wal on SQLite; `pg_database_size(current_database())` on PostgreSQL. */
  sizeBytes: number;
}

export async function databaseInfo(store: Store): Promise<DatabaseInfo> {
  const impl = byDialect(store.db, { sqlite, postgres });
  const applied = (await store.db.selectFrom("schema_migration").select("name").orderBy("name").execute()).map((r) => r.name);
  const done = new Set(applied);
  const known = readMigrations(findMigrationsDir(store.dialect)).map((m) => m.name);
  return {
    backend: store.dialect,
    version: await impl.serverVersion(store.db),
    database: store.path,
    migrations: { latest: applied.at(-1) ?? null, applied: applied.length, pending: known.filter((n) => !done.has(n)) },
    sizeBytes: await impl.databaseSize(store.db, store.path),
  };
}
