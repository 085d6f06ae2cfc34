// SQLite-specific: carrying on when the disk is full.
import { sql } from "kysely";
import type { Db } from "./handle.ts";

/** True for SQLite's "database or disk is full". */
export function isDiskFull(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_FULL");
}

/**
 * Copies the write-ahead log into the database file and starts the log over at its beginning,
 * keeping its size: the next small transactions (recording how a run ended, releasing its
 * jobs) reuse space the disk already gave, rather than needing more. Never throws.
 */
export async function reuseLogSpace(db: Db): Promise<void> {
  await sql`pragma wal_checkpoint(RESTART)`.execute(db).catch(() => undefined);
}
