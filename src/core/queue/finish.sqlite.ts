// SQLite-specific queries of finish.ts: a batch of attempt ends applied from one JSON array
// (json_each, `->>`), with unary-plus hints that keep the planner off the state indexes, as
// prepared statements run on the handle (prepared.sqlite.ts): the worker's hot path.
import type { Db } from "../db/handle.ts";
import type { FinishedRow } from "./finish.ts";
import { prepared } from "./prepared.sqlite.ts";

/**
 * Applies each row's change to its job when its lease still holds (UPDATE_FINISHED_JOBS) and
 * closes the attempts of the jobs changed; returns those jobs with their new state, and whether
 * other jobs wait on them. `rows` are
 * finish.ts's per-attempt rows (id, token, attempt_id, state, outcome, run_at, result, progress,
 * error, attempts_delta, max_delta, final, duration, metrics). Call inside a write transaction on `trx`.
 */
export async function applyFinished(trx: Db, rows: readonly (object & { id: number })[], stamp: string): Promise<FinishedRow[]> {
  const json = JSON.stringify(rows);
  const changed = prepared(trx, UPDATE_FINISHED_JOBS).all(stamp, stamp, json) as FinishedRow[];
  if (changed.length === 0) return changed;
  const ids = new Set(changed.map((c) => c.id));
  // The attempts of jobs whose lease was lost are left alone: the rescue that took the job closed them.
  const applied = changed.length === rows.length ? json : JSON.stringify(rows.filter((r) => ids.has(r.id)));
  prepared(trx, CLOSE_ATTEMPTS).run(stamp, applied);
  return changed;
}

// The unary + on the state columns keeps SQLite from driving the join by the state index:
// it must walk the (small) JSON batch and look jobs up by primary key.
// Every right-hand side reads the row as it was, so `stopped` is the cancel request seen before this update.
const STOPPED = `(job.cancel_requested_at is not null and v.value ->> 'state' = 'pending')`;
const UPDATE_FINISHED_JOBS = `
  update job set
    state = case when ${STOPPED} then 'cancelled' else v.value ->> 'state' end,
    run_at = coalesce(v.value ->> 'run_at', job.run_at),
    result = coalesce(v.value ->> 'result', job.result),
    progress = coalesce(v.value ->> 'progress', job.progress),
    last_error = case when v.value ->> 'state' = 'completed' then null
      when ${STOPPED} then 'cancelled on request while running'
      else coalesce(v.value ->> 'error', job.last_error) end,
    attempts = job.attempts + (v.value ->> 'attempts_delta'),
    max_attempts = job.max_attempts + (v.value ->> 'max_delta'),
    finished_at = case when v.value ->> 'final' = 1 or ${STOPPED} then ? else null end,
    lease_owner = null,
    lease_expires_at = null,
    cancel_requested_at = null,
    updated_at = ?
  from json_each(?) as v
  where job.id = v.value ->> 'id' and job.lease_token = v.value ->> 'token' and +job.state = 'running'
  returning job.id, job.state, exists (select 1 from job d where d.depends_on = job.id) as waited_on`;

/** Closes the running attempt of each row (attempt_id, outcome, error, duration, metrics) at the stamp. */
const CLOSE_ATTEMPTS = `
  update job_attempt set
    finished_at = ?,
    outcome = v.value ->> 'outcome',
    error = v.value ->> 'error',
    duration_ms = v.value ->> 'duration',
    metrics = v.value ->> 'metrics'
  from json_each(?) as v
  where job_attempt.id = v.value ->> 'attempt_id' and +job_attempt.outcome = 'running'`;
