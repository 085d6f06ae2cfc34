// PostgreSQL-specific query of schedule-jobs.ts: the attempts' metrics objects taken apart with jsonb_each.
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";

/** As schedule-jobs.sqlite.ts's metricTotalsBySchedule. */
export async function metricTotalsBySchedule(
  db: Db,
  ids: readonly number[],
): Promise<{ schedule_id: number; key: string; total: number }[]> {
  const rows = await sql<{ schedule_id: number; key: string; total: number }>`
    select job.schedule_id, m.key, sum((m.value #>> '{}')::numeric) as total
    from job join job_attempt a on a.job_id = job.id, jsonb_each(a.metrics) m
    where job.schedule_id = any(${[...ids]}::bigint[]) and a.metrics is not null and jsonb_typeof(m.value) = 'number'
    group by job.schedule_id, m.key
    order by m.key collate "C"`.execute(db);
  return rows.rows;
}
