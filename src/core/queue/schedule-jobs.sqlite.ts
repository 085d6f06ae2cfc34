// SQLite-specific query of schedule-jobs.ts: the attempts' metrics objects taken apart with json_each.
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";

/** Per schedule of `ids` and metric key: the sum of the numeric metric values over every attempt of its jobs, keys in order. */
export async function metricTotalsBySchedule(
  db: Db,
  ids: readonly number[],
): Promise<{ schedule_id: number; key: string; total: number }[]> {
  const rows = await sql<{ schedule_id: number; key: string; total: number }>`
    select job.schedule_id, m.key, sum(m.value) as total
    from job join job_attempt a on a.job_id = job.id, json_each(a.metrics) m
    where job.schedule_id in (select value from json_each(${JSON.stringify(ids)})) and a.metrics is not null and m.type in ('integer', 'real')
    group by job.schedule_id, m.key
    order by m.key`.execute(db);
  return rows.rows;
}
