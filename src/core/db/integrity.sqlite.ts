// SQLite-specific: checking the database file's structure.
import { sql } from "kysely";
import type { Db } from "./handle.ts";

/**
 * SQLite's `PRAGMA quick_check`: [] when the file's b-trees are sound, else its first problems.
 * It reads the whole file (about 30 ms on the seeded demo, 350 ms on 100,000 jobs, seconds with
 * the company register), so the nightly `cleanup` runs it (the db.check job), not every cron start.
 */
export async function quickCheck(db: Db, max = 3): Promise<string[]> {
  const n = Math.max(1, Math.floor(max));
  const { rows } = await sql<{ quick_check: string }>`pragma quick_check(${sql.raw(String(n))})`.execute(db);
  const lines = rows.flatMap((r) => r.quick_check.split("\n")).filter((l) => l !== "ok" && !l.startsWith("*** in database"));
  return lines.slice(0, n);
}
