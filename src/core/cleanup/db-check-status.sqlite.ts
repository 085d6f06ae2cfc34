// SQLite-specific: dbCheckStatus (db-check-status.ts) as raw SQL over the better-sqlite3 handle,
// for the light `status` path; the statement latestJobOfType (queue/stats.ts) sends.
import type BetterSqlite3 from "better-sqlite3";
import { type DbCheckRow, type DbCheckStatus, shapeDbCheck } from "./db-check-status.ts";

export function dbCheckStatusRaw(db: BetterSqlite3.Database): DbCheckStatus {
  const row = db
    .prepare(
      `select "id", "state", "finished_at", "result", "progress" from "job" where "type" = ? and "state" in (?) order by "id" desc limit ?`,
    )
    .get("db.check", "completed", 1) as { id: number; finished_at: string | null; result: string | null } | undefined;
  const shaped: DbCheckRow | undefined = row && { id: row.id, finishedAt: row.finished_at, result: row.result };
  return shapeDbCheck(shaped);
}
