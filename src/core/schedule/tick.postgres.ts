// PostgreSQL-specific writes of a scheduler tick: fire rows and schedule counters from one jsonb
// array each. Ticks from several machines run one at a time (tick.ts holds the write advisory lock
// through immediate()), and schedule_fire_once refuses a second row for the same (schedule, time).
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";
import type { FireRow, ScheduleTickUpdate } from "./tick.sqlite.ts";

/** As tick.sqlite.ts's insertFires. */
export async function insertFires(db: Db, fires: readonly FireRow[], stamp: string): Promise<void> {
  await sql`
    insert into schedule_fire (schedule_id, kind, fire_at, fire_count, last_fire_at, recorded_at, late_ms, policy, reason, job_id)
    select (v.value ->> 0)::bigint, v.value ->> 1, (v.value ->> 2)::timestamptz, (v.value ->> 3)::int, (v.value ->> 4)::timestamptz,
      ${stamp}::timestamptz, (v.value ->> 5)::bigint, v.value ->> 6, v.value ->> 7, (v.value ->> 8)::bigint
    from jsonb_array_elements(${JSON.stringify(fires)}::jsonb) as v (value)`.execute(db);
}

/** As tick.sqlite.ts's addTickToSchedules. */
export async function addTickToSchedules(db: Db, updates: readonly ScheduleTickUpdate[], stamp: string): Promise<void> {
  await sql`
    update schedule set
      checked_until = ${stamp}::timestamptz,
      next_fire_at = v.next,
      total_runs = total_runs + v.runs,
      missed_runs = missed_runs + v.missed,
      last_fire_at = coalesce(v.last_fire, last_fire_at),
      last_run_at = case when v.runs > 0 then ${stamp}::timestamptz else last_run_at end,
      last_job_id = coalesce(v.last_job, last_job_id)
    from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as v (id bigint, next timestamptz, runs int, missed int, last_fire timestamptz, last_job bigint)
    where schedule.id = v.id`.execute(db);
}
