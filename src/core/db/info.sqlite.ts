// SQLite-specific parts of `db info`: opening the file without migrating it, the library version,
// the applied migrations and the size of the file with its log.
import { statSync } from "node:fs";
import { Kysely, SqliteDialect, sql } from "kysely";
import { UsageError } from "../errors.ts";
import type { Database } from "./database.ts";
import type { Db } from "./handle.ts";
import type { InfoConnection } from "./info.ts";
import { newSqlite } from "./sqlite-driver.ts";
import { mapSqliteError } from "./sqlite-errors.ts";

/** Opens an existing database file as it is: never created, never migrated. */
export function openForInfo(path: string, o: { busyTimeoutMs: number }): InfoConnection {
  if (fileSize(path) === null)
    throw new UsageError(`no database at ${path}`, {
      code: "NOT_FOUND",
      hint: "check --db or LEADJOBS_DB; commands that only read never create one",
    });
  try {
    const handle = newSqlite(path);
    handle.pragma(`busy_timeout = ${Math.max(0, Math.floor(o.busyTimeoutMs))}`);
    const db: Db = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }) });
    return {
      db,
      dialect: "sqlite",
      path,
      close: async () => {
        await db.destroy();
        if (handle.open) handle.close();
      },
    };
  } catch (e) {
    throw mapSqliteError(e, path);
  }
}

export async function appliedMigrations(db: Db, path: string): Promise<string[]> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table' and name = 'schema_migration'`
    .execute(db)
    .catch((e: unknown) => {
      throw mapSqliteError(e, path);
    });
  if (!rows[0]?.n) throw new UsageError(`${path} is not a leadjobs database (it has no schema_migration)`, { code: "DB_INVALID" });
  return (await db.selectFrom("schema_migration").select("name").orderBy("name").execute()).map((r) => r.name);
}

export async function serverVersion(db: Db): Promise<string> {
  const { rows } = await sql<{ version: string }>`select sqlite_version() as version`.execute(db);
  return rows[0]?.version ?? "unknown";
}

/** The database file plus its write-ahead log (what the data takes on disk; -shm is an index of the log). */
export async function databaseSize(_db: Db, path: string): Promise<number> {
  return [path, `${path}-wal`].reduce((sum, p) => sum + (fileSize(p) ?? 0), 0);
}

/** The file's size, or null when there is none. */
function fileSize(path: string): number | null {
  try {
    return statSync(path).size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw e;
  }
}
