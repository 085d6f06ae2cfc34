// SQLite-specific: checking the database file's structure.
import type BetterSqlite3 from "better-sqlite3";

/**
 * SQLite's `PRAGMA quick_check`: [] when the file's b-trees are sound, else its first problems.
 * It reads the whole file (about a second on a 100,000-job database), so `status --check` runs
 * it rather than every `process` and `enqueue`.
 */
export function quickCheck(sqlite: BetterSqlite3.Database, max = 3): string[] {
  const rows = sqlite.pragma(`quick_check(${Math.max(1, Math.floor(max))})`) as Array<{ quick_check: string }>;
  const lines = rows.flatMap((r) => r.quick_check.split("\n")).filter((l) => l !== "ok" && !l.startsWith("*** in database"));
  return lines.slice(0, max);
}
