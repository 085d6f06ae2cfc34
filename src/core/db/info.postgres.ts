// PostgreSQL-specific parts of `db info`: the server's version and the database's size.
import { sql } from "kysely";
import type { Db } from "./handle.ts";

export async function serverVersion(db: Db): Promise<string> {
  const { rows } = await sql<{ version: string }>`select current_setting('server_version') as version`.execute(db);
  return rows[0]?.version ?? "unknown";
}

export async function databaseSize(db: Db, _path: string): Promise<number> {
  const { rows } = await sql<{ size: number }>`select pg_database_size(current_database()) as size`.execute(db);
  return rows[0]?.size ?? 0;
}
