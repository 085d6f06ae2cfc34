// SQLite-specific queries of finish.ts: a batch's attempt ends applied to their jobs by primary
// key in one UPDATE ... FROM a VALUES list, and the history rows of the attempts it changed
// written by one multi-row INSERT, as prepared statements run on the handle (prepared.sqlite.ts):
// the worker's hot path. One statement per batch instead of one per row cost 6.3 against 8.0 µs a
// job (update) and 3.5 against 5.2 (insert) at concurrency 5, 4.7 against 7.6 and 2.6 against 5.0
// at 50. A batch once went as JSON through json_each, which cost more than a statement per row.
// The statements are written with @names and bound by position: binding by name cost twice as
// much (2.1 against 1.1 µs for 15 values).
import type { Db } from "../db/handle.ts";
import type { FinishedRow } from "./finish.ts";
import { prepared, statementText } from "./prepared.sqlite.ts";

/**
 * Rows per statement: 11 values each, well under SQLite's 32,766 parameters. A statement is
 * prepared per batch size seen (all 64 of both kinds took 6.2 MB); splitting batches into
 * power-of-two sizes, as enqueue does, cost the worker about 5 % at concurrency 5 and 50.
 */
const CHUNK = 64;

/**
 * Applies each row's change to its job when its lease still holds (JOB_ENDS) and writes the
 * attempt of each job changed; returns those jobs with their new state, and whether other jobs
 * wait on them. `rows` are finish.ts's per-attempt rows (id, token, attempt, worker, started_at,
 * state, outcome, run_at, result, progress, error, attempts_delta, max_delta, final, duration,
 * metrics), one per job. Call inside a write transaction on `trx`.
 */
export async function applyFinished(trx: Db, rows: readonly (object & { id: number })[], stamp: string): Promise<FinishedRow[]> {
  if (rows.length <= CHUNK) return applyChunk(trx, rows, stamp);
  const changed: FinishedRow[] = [];
  for (let at = 0; at < rows.length; at += CHUNK) changed.push(...applyChunk(trx, rows.slice(at, at + CHUNK), stamp));
  return changed;
}

function applyChunk(trx: Db, rows: readonly (object & { id: number })[], stamp: string): FinishedRow[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const changed = prepared(trx, JOB_ENDS.text(rows.length)).all(JOB_ENDS.values(rows, stamp)) as FinishedRow[];
  // A job whose lease was lost is left alone, and so is its attempt: the rescue that took the job wrote it.
  if (changed.length > 0) {
    const ended = changed.map((j) => byId.get(j.id) as object);
    prepared(trx, ATTEMPTS.text(ended.length)).run(ATTEMPTS.values(ended, stamp));
  }
  return changed;
}

/**
 * A statement around a list of `@name` tuples, one per row (`@stamp` is the batch's stamp), sent
 * with `?` in their place: its text for n rows (built once per n, statementText) and its values for some rows, in
 * the order the text uses them. better-sqlite3 binds an array by position; it cannot bind numbered
 * parameters (`?1`).
 */
function rowsStatement(key: string, tuple: string, around: (tuples: string) => string) {
  const order: string[] = [];
  const placeholders = tuple.replace(/@(\w+)/g, (_, name: string) => {
    order.push(name);
    return "?";
  });
  return {
    text: (n: number): string => statementText(`${key}${n}`, () => around(Array(n).fill(placeholders).join(", "))),
    values(rows: readonly object[], stamp: string): unknown[] {
      const out: unknown[] = [];
      for (const row of rows) for (const n of order) out.push(n === "stamp" ? stamp : (row as Record<string, unknown>)[n]);
      return out;
    },
  };
}

// Every right-hand side reads the row as it was, so `stopped` is the cancel request seen before this update.
const STOPPED = `(job.cancel_requested_at is not null and v.state = 'pending')`;
const JOB_ENDS = rowsStatement(
  "finish-jobs",
  "(@id, @token, @state, @run_at, @result, @progress, @error, @attempts_delta, @max_delta, @final, @stamp)",
  (tuples) => `
  with v (id, token, state, run_at, result, progress, error, attempts_delta, max_delta, final, stamp) as (
    select column1, column2, column3, column4, column5, column6, column7, column8, column9, column10, column11
    from (values ${tuples}))
  update job set
    state = case when ${STOPPED} then 'cancelled' else v.state end,
    run_at = coalesce(v.run_at, job.run_at),
    result = coalesce(v.result, job.result),
    progress = coalesce(v.progress, job.progress),
    last_error = case when v.state = 'completed' then null
      when ${STOPPED} then 'cancelled on request while running'
      else coalesce(v.error, job.last_error) end,
    attempts = job.attempts + v.attempts_delta,
    max_attempts = job.max_attempts + v.max_delta,
    finished_at = case when v.final = 1 or ${STOPPED} then v.stamp else null end,
    lease_owner = null,
    lease_expires_at = null,
    claimed_at = null,
    cancel_requested_at = null,
    updated_at = v.stamp
  from v
  where job.id = v.id and job.lease_token = v.token and job.state = 'running'
  returning id, state, exists (select 1 from job d where d.depends_on = job.id) as waited_on`,
);

/** The history rows of the attempts, ended at the stamp. */
const ATTEMPTS = rowsStatement(
  "finish-attempts",
  "(@id, @attempt, @token, @worker, @started_at, @stamp, @outcome, @error, @duration, @metrics)",
  (tuples) => `
  insert into job_attempt (job_id, attempt, token, worker, started_at, finished_at, outcome, error, duration_ms, metrics)
  values ${tuples}`,
);
