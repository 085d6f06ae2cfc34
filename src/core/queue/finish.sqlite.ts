// SQLite-specific queries of finish.ts: a batch of attempt ends applied from one JSON array
// (json_each, `->>`), with unary-plus hints that keep the planner off the state indexes.
import { sql } from "kysely";
import type { JobState } from "./schema.ts";
import type { Db } from "../db/handle.ts";

/**
 * Applies each row's change to its job when its lease still holds (updateFinishedJobs) and closes
 * the attempts of the jobs changed; returns those jobs with their new state.
 */
export async function applyFinished(
  trx: Db,
  rows: readonly (object & { id: number })[],
  stamp: string,
): Promise<{ id: number; state: JobState }[]> {
  const changed = await updateFinishedJobs(trx, rows, stamp);
  if (changed.length > 0) {
    const applied = new Set(changed.map((r) => r.id));
    await closeFinishedAttempts(
      trx,
      rows.filter((r) => applied.has(r.id)),
      stamp,
    );
  }
  return changed;
}

/**
 * Applies each row's change to its job when the row's lease (id, token) still holds and the job
 * is running; returns the jobs changed with their new state. `rows` are finish.ts's per-attempt
 * rows (id, token, state, run_at, result, progress, error, attempts_delta, max_delta, final).
 */
async function updateFinishedJobs(trx: Db, rows: readonly object[], stamp: string): Promise<{ id: number; state: JobState }[]> {
  const json = JSON.stringify(rows);
  // The unary + on the state columns keeps SQLite from driving the join by the state index:
  // it must walk the (small) JSON batch and look jobs up by primary key.
  // Every right-hand side reads the row as it was, so `stopped` is the cancel request seen before this update.
  const stopped = sql`(job.cancel_requested_at is not null and v.value ->> 'state' = 'pending')`;
  const changed = await sql<{ id: number; state: JobState }>`
    update job set
      state = case when ${stopped} then 'cancelled' else v.value ->> 'state' end,
      run_at = coalesce(v.value ->> 'run_at', job.run_at),
      result = coalesce(v.value ->> 'result', job.result),
      progress = coalesce(v.value ->> 'progress', job.progress),
      last_error = case when v.value ->> 'state' = 'completed' then null
        when ${stopped} then 'cancelled on request while running'
        else coalesce(v.value ->> 'error', job.last_error) end,
      attempts = job.attempts + (v.value ->> 'attempts_delta'),
      max_attempts = job.max_attempts + (v.value ->> 'max_delta'),
      finished_at = case when v.value ->> 'final' = 1 or ${stopped} then ${stamp} else null end,
      lease_owner = null,
      lease_expires_at = null,
      cancel_requested_at = null,
      updated_at = ${stamp}
    from json_each(${json}) as v
    where job.id = v.value ->> 'id' and job.lease_token = v.value ->> 'token' and +job.state = 'running'
    returning job.id, job.state`.execute(trx);
  return changed.rows;
}

/** Closes the running attempt of each row (attempt_id, outcome, error, duration, metrics) at `stamp`. */
async function closeFinishedAttempts(trx: Db, rows: readonly object[], stamp: string): Promise<void> {
  const attemptJson = JSON.stringify(rows);
  await sql`
      update job_attempt set
        finished_at = ${stamp},
        outcome = v.value ->> 'outcome',
        error = v.value ->> 'error',
        duration_ms = v.value ->> 'duration',
        metrics = v.value ->> 'metrics'
      from json_each(${attemptJson}) as v
      where job_attempt.id = v.value ->> 'attempt_id' and +job_attempt.outcome = 'running'`.execute(trx);
}
