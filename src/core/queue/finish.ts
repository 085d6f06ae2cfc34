import { sql } from "kysely";
import type { AttemptOutcome, JobState } from "./schema.ts";
import { immediate, type Db } from "../db/sqlite.ts";
import { toInstant } from "../time.ts";
import { settleDependents, type SettledParent } from "./dependents.ts";

/** How an attempt ended, as decided by the runtime; `R` is the job type's result. */
export type AttemptEnd<R = unknown> =
  | { kind: "completed"; result?: R }
  | { kind: "retry"; error: string; runAt: number; timedOut?: boolean }
  | { kind: "dead"; error: string; timedOut?: boolean }
  | { kind: "snoozed"; reason: string; runAt: number }
  | { kind: "cancelled"; reason: string }
  /** Given back on shutdown: the attempt does not count. */
  | { kind: "released"; reason: string };

export interface FinishedAttempt {
  jobId: number;
  token: number;
  attemptId: number;
  durationMs: number;
  metrics?: Record<string, number> | undefined;
  progress?: unknown;
  end: AttemptEnd;
}

interface JobChange {
  state: JobState;
  outcome: AttemptOutcome;
  runAt: number | null;
  error: string | null;
  attemptsDelta: number;
  maxDelta: number;
}

export function jobChangeFor(end: AttemptEnd): JobChange {
  switch (end.kind) {
    case "completed":
      return { state: "completed", outcome: "completed", runAt: null, error: null, attemptsDelta: 0, maxDelta: 0 };
    case "retry":
      return {
        state: "pending",
        outcome: end.timedOut ? "timed_out" : "failed",
        runAt: end.runAt,
        error: end.error,
        attemptsDelta: 0,
        maxDelta: 0,
      };
    case "dead":
      return {
        state: "dead",
        outcome: end.timedOut ? "timed_out" : "failed",
        runAt: null,
        error: end.error,
        attemptsDelta: 0,
        maxDelta: 0,
      };
    case "snoozed": // like Oban's snooze: the attempt is recorded but gives its slot back
      return { state: "pending", outcome: "snoozed", runAt: end.runAt, error: end.reason, attemptsDelta: 0, maxDelta: 1 };
    case "cancelled":
      return { state: "cancelled", outcome: "cancelled", runAt: null, error: end.reason, attemptsDelta: 0, maxDelta: 0 };
    case "released":
      return { state: "pending", outcome: "released", runAt: null, error: null, attemptsDelta: -1, maxDelta: 0 };
  }
}

/**
 * Records many attempt ends in one IMMEDIATE transaction. A job is only changed when the
 * caller still holds its lease (same fencing token, still running); the ids of the jobs that
 * were changed are returned, the others had been taken over (rescued or released) already.
 * A job someone asked to cancel while it ran is cancelled rather than put back in the queue
 * (a failure, a snooze or a release just before the worker saw the request).
 */
export function finishAttempts(db: Db, finished: FinishedAttempt[], now: number): Promise<Set<number>> {
  if (finished.length === 0) return Promise.resolve(new Set());
  return immediate(db, (trx) => finishAttemptsInTx(trx, finished, now));
}

export async function finishAttemptsInTx(trx: Db, finished: FinishedAttempt[], now: number): Promise<Set<number>> {
  const stamp = toInstant(now);
  const rows = finished.map((f) => {
    const c = jobChangeFor(f.end);
    return {
      id: f.jobId,
      token: f.token,
      attempt_id: f.attemptId,
      state: c.state,
      outcome: c.outcome,
      run_at: c.runAt === null ? (f.end.kind === "released" ? stamp : null) : toInstant(c.runAt),
      error: c.error,
      result: f.end.kind === "completed" && f.end.result !== undefined ? JSON.stringify(f.end.result) : null,
      progress: f.progress === undefined ? null : JSON.stringify(f.progress),
      attempts_delta: c.attemptsDelta,
      max_delta: c.maxDelta,
      final: c.state === "completed" || c.state === "dead" || c.state === "cancelled" ? 1 : 0,
      duration: Math.max(0, Math.round(f.durationMs)),
      metrics: f.metrics && Object.keys(f.metrics).length > 0 ? JSON.stringify(f.metrics) : null,
    };
  });
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
  const applied = new Set(changed.rows.map((r) => r.id));
  const settled = changed.rows.filter((r): r is { id: number; state: SettledParent["state"] } => r.state !== "pending");
  if (settled.length > 0) await settleDependents(trx, settled, now);
  if (applied.size > 0) {
    const attemptJson = JSON.stringify(rows.filter((r) => applied.has(r.id)));
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
  return applied;
}
