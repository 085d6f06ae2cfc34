import { backofficeStatus } from "../backoffice/health.ts";
import { shapeDbCheck } from "../cleanup/db-check-status.ts";
import type { Db } from "../db/handle.ts";
import { lastCommandRuns } from "../queue/command-runs.ts";
import { queueStatus } from "../queue/inspect.ts";
import { latestJobOfType } from "../queue/stats.ts";
import { scheduleStatus } from "../schedule/status.ts";
import { type StatusInput, statusDoc } from "./status-doc.ts";

export type { StatusDoc, StatusInput } from "./status-doc.ts";

/**
 * The status document: `status --json` prints it as is (its shape is stable for scripts),
 * `status --check` exits on its health verdict, and `report html` shows the same verdict.
 */
export async function collectStatus(db: Db, o: StatusInput) {
  const { now } = o;
  const queue = await queueStatus(db, now, o.leaseNow ?? now);
  const processRuns = await lastCommandRuns(db, "process");
  const backoffice = await backofficeStatus(db, now);
  const schedules = await scheduleStatus(db, now, o.overdueAfterMs, o.ownerGone);
  const integrity = shapeDbCheck(await latestJobOfType(db, "db.check", ["completed"]));
  return statusDoc({ queue, processRuns, backoffice, schedules, integrity }, o);
}
