// PostgreSQL-specific finish of finish.ts, in one statement (one round trip): the jobs changed
// where their lease still holds, and the attempts of those jobs written.
import { type RawBuilder, sql } from "kysely";
import { PREPARED } from "../db/prepared.postgres.ts";
import type { Db } from "../db/handle.ts";
import type { FinishedRow } from "./finish.ts";

/** As finish.sqlite.ts's applyFinished. */
export async function applyFinished(trx: Db, rows: readonly (object & { id: number })[], stamp: string): Promise<FinishedRow[]> {
  const changed =
    await sql<FinishedRow>`${sql.raw(PREPARED)} with ${finishCtes(rows, stamp)} select id, state, waited_on from changed`.execute(trx);
  return changed.rows;
}

/**
 * The CTEs of a finish: `v` (the rows), `changed` (the jobs whose lease still held: id, state,
 * waited_on) and `written` (their attempts); also the first part of cycle.postgres.ts's statement.
 */
export function finishCtes(rows: readonly (object & { id: number })[], stamp: string): RawBuilder<unknown> {
  const at = sql`${stamp}::timestamptz`;
  // Every right-hand side reads the row as it was, so `stopped` is the cancel request seen before this update.
  const stopped = sql`(job.cancel_requested_at is not null and v.state = 'pending')`;
  return sql`
    v as (
      select * from json_to_recordset(${JSON.stringify(rows)}::json) as v (
        id bigint, token bigint, attempt int, worker text, started_at timestamptz, state text, outcome text, run_at timestamptz, result text, progress text,
        error text, attempts_delta int, max_delta int, final int, duration bigint, metrics text)),
    changed as (
      update job set
        state = case when ${stopped} then 'cancelled' else v.state end,
        run_at = coalesce(v.run_at, job.run_at),
        result = coalesce(v.result::jsonb, job.result),
        progress = coalesce(v.progress::jsonb, job.progress),
        last_error = case when v.state = 'completed' then null
          when ${stopped} then 'cancelled on request while running'
          else coalesce(v.error, job.last_error) end,
        attempts = job.attempts + v.attempts_delta,
        max_attempts = job.max_attempts + v.max_delta,
        finished_at = case when v.final = 1 or ${stopped} then ${at} else null end,
        lease_owner = null,
        lease_expires_at = null,
        claimed_at = null,
        cancel_requested_at = null,
        updated_at = ${at}
      from v
      where job.id = v.id and job.lease_token = v.token and job.state = 'running'
      returning job.id, job.state, exists (select 1 from job d where d.depends_on = job.id) as waited_on),
    written as (
      insert into job_attempt (job_id, attempt, token, worker, started_at, finished_at, outcome, error, duration_ms, metrics)
      select v.id, v.attempt, v.token, v.worker, v.started_at, ${at}, v.outcome, v.error, v.duration, v.metrics::jsonb
      from v join changed c on c.id = v.id)`;
}
