import type { ClaimedJob } from "./claim.ts";
import type { AttemptOutcome, JobState } from "./schema.ts";
import { byDialect } from "../db/dialect.ts";
import { type Db, rowLockedTransaction } from "../db/handle.ts";
import { toInstant } from "../time.ts";
import { settleDependents, type SettledParent } from "./dependents.ts";
import * as postgres from "./finish.postgres.ts";
import * as sqlite from "./finish.sqlite.ts";

/** How an attempt ended, as decided by the runtime; `R` is the job type's result. */
export type AttemptEnd<R = unknown> =
  | { kind: "completed"; result?: R }
  | { kind: "retry"; error: string; runAt: number; timedOut?: boolean }
  | { kind: "dead"; error: string; timedOut?: boolean }
  | { kind: "snoozed"; reason: string; runAt: number }
  | { kind: "cancelled"; reason: string }
  /** Given back on shutdown: the attempt does not count. */
  | { kind: "released"; reason: string };

/** An attempt's end; its history row (job_attempt) is written from these fields (finishedAttempt). */
export interface FinishedAttempt {
  jobId: number;
  /** Fencing token of the claim it ran under. */
  token: number;
  /** Its number (the job's attempts after the claim). */
  attempt: number;
  /** `host:pid` of the worker that ran it. */
  worker: string;
  /** When it was claimed (ms). */
  startedAt: number;
  durationMs: number;
  metrics?: Record<string, number> | undefined;
  progress?: unknown;
  end: AttemptEnd;
}

/** The end of a claimed job's attempt: which attempt, under which claim, and how it went. */
export function finishedAttempt(j: ClaimedJob, e: Pick<FinishedAttempt, "durationMs" | "metrics" | "progress" | "end">): FinishedAttempt {
  // Spelled out, not spread: an object spread here cost the worker about 1.5 µs a job.
  return {
    jobId: j.id,
    token: j.token,
    attempt: j.attempt,
    worker: j.owner,
    startedAt: j.claimedAt,
    durationMs: e.durationMs,
    metrics: e.metrics,
    progress: e.progress,
    end: e.end,
  };
}

/** A job a batch of attempt ends changed: its new state, and whether other jobs wait on it (depends_on). */
export interface FinishedRow {
  id: number;
  state: JobState;
  /** 1/true when another job depends on this one (SQLite gives 1 or 0, PostgreSQL a boolean). */
  waited_on: number | boolean;
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
 * Records many attempt ends in one write transaction (rowLockedTransaction). A job is only changed when the
 * caller still holds its lease (same fencing token, still running); the ids of the jobs that
 * were changed are returned, the others had been taken over (rescued or released) already.
 * A job someone asked to cancel while it ran is cancelled rather than put back in the queue
 * (a failure, a snooze or a release just before the worker saw the request).
 */
export function finishAttempts(db: Db, finished: FinishedAttempt[], now: number): Promise<Set<number>> {
  if (finished.length === 0) return Promise.resolve(new Set());
  return rowLockedTransaction(db, (trx) => finishAttemptsInTx(trx, finished, now));
}

export async function finishAttemptsInTx(trx: Db, finished: FinishedAttempt[], now: number): Promise<Set<number>> {
  const stamp = toInstant(now);
  const rows = finishedRows(finished, stamp);
  const changed = await byDialect(trx, { sqlite, postgres }).applyFinished(trx, rows, stamp);
  return settleFinished(trx, changed, now);
}

/** The per-attempt rows the dialects' applyFinished read (PostgreSQL's as one JSON array, SQLite's as a VALUES list). */
export function finishedRows(finished: FinishedAttempt[], stamp: string): Array<{ id: number } & Record<string, unknown>> {
  // The dialects apply a batch as one UPDATE ... FROM its rows, which would take only one of two rows of a job.
  if (new Set(finished.map((f) => f.jobId)).size !== finished.length) throw new Error("a finish batch holds one attempt per job");
  return finished.map((f) => {
    const c = jobChangeFor(f.end);
    return {
      id: f.jobId,
      token: f.token,
      attempt: f.attempt,
      worker: f.worker,
      started_at: toInstant(f.startedAt),
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
}

/** Moves along the dependents of the jobs a batch of ends settled; returns the ids of the jobs changed. */
export async function settleFinished(trx: Db, changed: readonly FinishedRow[], now: number): Promise<Set<number>> {
  const applied = new Set(changed.map((r) => r.id));
  // Only jobs others wait on have dependents to settle: most batches need no statement for them.
  const settled = changed.filter(
    (r): r is FinishedRow & { state: SettledParent["state"] } => r.state !== "pending" && Boolean(r.waited_on),
  );
  if (settled.length > 0) await settleDependents(trx, settled, now);
  return applied;
}
