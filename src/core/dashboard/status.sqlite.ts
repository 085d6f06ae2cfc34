// SQLite-specific: collectStatus (status.ts) as raw SQL over the better-sqlite3 handle, for the
// light `status` path (src/fast/status.ts) that never loads Kysely: each section's raw twin, in
// the same order, then the same document and health verdict (status-doc.ts).
import type BetterSqlite3 from "better-sqlite3";
import { backofficeStatusRaw } from "../backoffice/health.sqlite.ts";
import { dbCheckStatusRaw } from "../cleanup/db-check-status.sqlite.ts";
import { lastCommandRunsRaw, queueStatusRaw } from "../queue/queue-status.sqlite.ts";
import { scheduleStatusRaw } from "../schedule/status.sqlite.ts";
import { type StatusDoc, type StatusInput, statusDoc } from "./status-doc.ts";

export function collectStatusRaw(db: BetterSqlite3.Database, o: StatusInput): StatusDoc {
  const queue = queueStatusRaw(db, o.now, o.leaseNow ?? o.now);
  const processRuns = lastCommandRunsRaw(db, "process");
  const backoffice = backofficeStatusRaw(db, o.now);
  const schedules = scheduleStatusRaw(db, o.now, o.overdueAfterMs, o.ownerGone);
  const integrity = dbCheckStatusRaw(db);
  return statusDoc({ queue, processRuns, backoffice, schedules, integrity }, o);
}
