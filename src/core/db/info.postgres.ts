// PostgreSQL-specific parts of `db info`: a connection that does not migrate, the server's
// version, the applied migrations and the database's size.
import { Kysely, PostgresDialect, sql } from "kysely";
import { UsageError } from "../errors.ts";
import type { Database } from "./database.ts";
import type { Db } from "./handle.ts";
import type { InfoConnection } from "./info.ts";
import { importPgModule } from "./pg-import.ts";
import { mapPostgresError } from "./postgres-errors.ts";
import { displayUrl } from "./url.ts";

/** Connects to the database as it is: nothing is created or migrated. */
export async function openForInfo(url: string, o: { busyTimeoutMs: number }): Promise<InfoConnection> {
  const { postgresPool } = await importPgModule(() => import("./connection.postgres.ts"));
  const pool = postgresPool(url, { max: 1, busyTimeoutMs: o.busyTimeoutMs });
  const db: Db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: "postgres",
    path: displayUrl(url),
    close: async () => {
      await db.destroy();
      if (!pool.ended) await pool.end();
    },
  };
}

export async function appliedMigrations(db: Db, display: string): Promise<string[]> {
  try {
    const { rows } = await sql<{ migrations: boolean }>`select to_regclass('schema_migration') is not null as migrations`.execute(db);
    if (!rows[0]?.migrations)
      throw new UsageError(`no leadjobs database at ${display} (it has no schema_migration)`, {
        code: "NOT_FOUND",
        hint: "check --db or LEADJOBS_DB; commands that only read never create the tables",
      });
    return (await db.selectFrom("schema_migration").select("name").orderBy("name").execute()).map((r) => r.name);
  } catch (e) {
    throw mapPostgresError(e);
  }
}

export async function serverVersion(db: Db): Promise<string> {
  const { rows } = await sql<{ version: string }>`select current_setting('server_version') as version`.execute(db);
  return rows[0]?.version ?? "unknown";
}

export async function databaseSize(db: Db, _path: string): Promise<number> {
  const { rows } = await sql<{ size: number }>`select pg_database_size(current_database()) as size`.execute(db);
  return rows[0]?.size ?? 0;
}
