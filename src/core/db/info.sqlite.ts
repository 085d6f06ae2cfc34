// SQLite-specific parts of `db info`: the library version and the size of the file with its log.
import { statSync } from "node:fs";
import { sql } from "kysely";
import type { Db } from "./handle.ts";

export async function serverVersion(db: Db): Promise<string> {
  const { rows } = await sql<{ version: string }>`select sqlite_version() as version`.execute(db);
  return rows[0]?.version ?? "unknown";
}

/** The database file plus its write-ahead log (what the data takes on disk; -shm is an index of the log). */
export async function databaseSize(_db: Db, path: string): Promise<number> {
  return [path, `${path}-wal`].reduce((sum, p) => sum + fileSize(p), 0);
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw e;
  }
}
