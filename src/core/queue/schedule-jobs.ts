import { sql } from "kysely";
import { byDialect } from "../db/dialect.ts";
import type { Db } from "../db/handle.ts";
import * as postgres from "./schedule-jobs.postgres.ts";
import * as sqlite from "./schedule-jobs.sqlite.ts";

/** How many jobs of the schedule are pending or running. */
export async function liveScheduleJobs(db: Db, scheduleId: number): Promise<number> {
  const live = await db
    .selectFrom("job")
    .select(sql<number>`count(*)`.as("n"))
    .where("schedule_id", "=", scheduleId)
    .where("state", "in", ["pending", "running"])
    .executeTakeFirstOrThrow();
  return live.n;
}

/** Sums of the numeric metrics handlers reported, per schedule, over every attempt of its jobs. */
export async function metricsBySchedule(db: Db, ids: number[]): Promise<Map<number, Record<string, number>>> {
  const out = new Map<number, Record<string, number>>();
  if (ids.length === 0) return out;
  const rows = await byDialect(db, { sqlite, postgres }).metricTotalsBySchedule(db, ids);
  for (const r of rows) {
    const m = out.get(r.schedule_id) ?? {};
    m[r.key] = r.total;
    out.set(r.schedule_id, m);
  }
  return out;
}
