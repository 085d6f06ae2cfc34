import { sql } from "kysely";
import type { Db } from "../db/handle.ts";
import { lastCommandRuns } from "../queue/command-runs.ts";
import { jobOutcomes } from "../queue/inspect.ts";
import { toInstant } from "../time.ts";
import { catchUps } from "./history.ts";
import { CATCH_UPS_READ, SCHEDULE_COLUMNS, type ScheduleStatus, shapeScheduleStatus } from "./status-shape.ts";

export {
  overdueBy,
  type ScheduleStatus,
  type ScheduleStatusItem,
  scheduleProblems,
} from "./status-shape.ts";

/** The schedules section of `leadjobs status`; `ownerGone` judges the last tick's owner (killed or running). */
export async function scheduleStatus(
  db: Db,
  now: number,
  overdueAfterMs: number,
  ownerGone: (owner: string) => boolean,
): Promise<ScheduleStatus> {
  const counts = await db
    .selectFrom("schedule")
    .select(["active", sql<number>`count(*)`.as("n")])
    .groupBy("active")
    .execute();
  const overdueBefore = toInstant(now - overdueAfterMs);
  const rows = await db
    .selectFrom("schedule")
    .select([...SCHEDULE_COLUMNS])
    .where("active", "=", 1)
    .orderBy(sql`case when next_fire_at < ${overdueBefore} then 0 else 1 end`)
    .orderBy(sql`next_fire_at is null`)
    .orderBy("next_fire_at")
    .orderBy("name")
    .execute();
  const lastJobs = await jobOutcomes(
    db,
    rows.flatMap((r) => (r.last_job_id === null ? [] : [r.last_job_id])),
  );
  const since = toInstant(now - 86_400_000);
  const missed = await db
    .selectFrom("schedule_fire")
    .select(["schedule_id", sql<number>`sum(fire_count)`.as("n")])
    .where("kind", "=", "missed")
    .where("recorded_at", ">=", since)
    .groupBy("schedule_id")
    .execute();
  const recent = await catchUps(db, { since, limit: CATCH_UPS_READ });
  const ticks = await lastCommandRuns(db, "enqueue");
  return shapeScheduleStatus({ counts, rows, lastJobs, missed, recent, ticks }, now, overdueAfterMs, ownerGone);
}
