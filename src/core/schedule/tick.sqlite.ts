// SQLite-specific writes of a scheduler tick (its schedule tables, not the jobs): every fire row
// and every schedule's counters in one statement each, passed as one JSON array (json_each, ->>).
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";

/** schedule_id, kind, fire_at, fire_count, last_fire_at, late_ms, policy, reason, job_id (undefined is written as null). */
export type FireRow = [number, string, string, number, string | null, number, string, string | null, number | null | undefined];

/** What one tick adds to a schedule. */
export interface ScheduleTickUpdate {
  id: number;
  next: string | null;
  runs: number;
  missed: number;
  last_fire: string | null;
  last_job: number | null;
}

/** Records fires, all with the tick's time. */
export async function insertFires(db: Db, fires: readonly FireRow[], stamp: string): Promise<void> {
  await sql`
    insert into schedule_fire (schedule_id, kind, fire_at, fire_count, last_fire_at, recorded_at, late_ms, policy, reason, job_id)
    select v.value ->> 0, v.value ->> 1, v.value ->> 2, v.value ->> 3, v.value ->> 4, ${stamp}, v.value ->> 5, v.value ->> 6, v.value ->> 7, v.value ->> 8
    from json_each(${JSON.stringify(fires)}) as v`.execute(db);
}

/** Moves schedules on: checked until the tick, their next fire, run and missed counters, last run. */
export async function addTickToSchedules(db: Db, updates: readonly ScheduleTickUpdate[], stamp: string): Promise<void> {
  await sql`
    update schedule set
      checked_until = ${stamp},
      next_fire_at = v.value ->> 'next',
      total_runs = total_runs + (v.value ->> 'runs'),
      missed_runs = missed_runs + (v.value ->> 'missed'),
      last_fire_at = coalesce(v.value ->> 'last_fire', last_fire_at),
      last_run_at = case when (v.value ->> 'runs') > 0 then ${stamp} else last_run_at end,
      last_job_id = coalesce(v.value ->> 'last_job', last_job_id)
    from json_each(${JSON.stringify(updates)}) as v
    where schedule.id = v.value ->> 'id'`.execute(db);
}
