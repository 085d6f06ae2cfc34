import { sql } from "kysely";
import type { Db } from "../db/sqlite.ts";

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
  const rows = await sql<{ schedule_id: number; key: string; total: number }>`
    select job.schedule_id, m.key, sum(m.value) as total
    from job join job_attempt a on a.job_id = job.id, json_each(a.metrics) m
    where job.schedule_id in (select value from json_each(${JSON.stringify(ids)})) and a.metrics is not null and m.type in ('integer', 'real')
    group by job.schedule_id, m.key
    order by m.key`.execute(db);
  for (const r of rows.rows) {
    const m = out.get(r.schedule_id) ?? {};
    m[r.key] = r.total;
    out.set(r.schedule_id, m);
  }
  return out;
}
