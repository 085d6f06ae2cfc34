// The queue section of `status`, shaped from its query rows: no database code, so the Kysely
// queries (inspect.ts) and the raw SQLite ones of the light path (queue-status.sqlite.ts) give
// the same document.
import { fromInstant } from "../time.ts";
import type { JobOutcomeRow } from "./inspect.sqlite.ts";
import { JOB_STATES, type JobState } from "./schema.ts";

export type StateCounts = Record<JobState, number>;

export interface QueueStatus {
  counts: StateCounts;
  byType: Array<{ type: string } & StateCounts>;
  /** Pending jobs whose run_at has come. */
  due: number;
  /** Pending jobs waiting for a later run_at (retries, future jobs). */
  scheduled: number;
  /** Pending jobs waiting for the job they depend on to complete. */
  waiting: number;
  oldestDue: { id: number; type: string; runAt: string; ageMs: number } | null;
  nextScheduledAt: string | null;
  running: Array<{
    id: number;
    type: string;
    leaseOwner: string | null;
    leaseExpiresAt: string | null;
    startedAt: string | null;
    progress: unknown;
    expired: boolean;
  }>;
  expiredLeases: number;
  recentFailures: Array<{ jobId: number; type: string; attempt: number; outcome: string; finishedAt: string | null; error: string | null }>;
  failedAttempts24h: number;
  deadJobs: Array<{ id: number; type: string; finishedAt: string | null; attempts: number; lastError: string | null }>;
}

/** How many of the latest dead jobs `queueStatus` lists. */
export const DEAD_JOBS_LISTED = 10;
/** How many running jobs `queueStatus` lists. */
export const RUNNING_LISTED = 50;
/** How many recent failed attempts `queueStatus` lists. */
export const FAILURES_LISTED = 10;

/** Of the pending unblocked jobs: how many wait for a later run_at, the earliest due run_at and the next later one. */
export interface PendingSummary {
  scheduled: number | null;
  oldest: string | null;
  next: string | null;
}

/** What the queue section's queries return, row for row. */
export interface QueueStatusRows {
  grouped: Array<{ type: string; state: JobState; n: number }>;
  pending: PendingSummary | undefined;
  /** The job due at `pending.oldest` (not asked for when nothing is due). */
  oldest: { id: number; type: string; run_at: string } | undefined;
  waiting: { n: number };
  running: Array<{
    id: number;
    type: string;
    lease_owner: string | null;
    lease_expires_at: string | null;
    started_at: string | null;
    progress: string | null;
  }>;
  expired: { n: number };
  failures: Array<{ job_id: number; type: string; attempt: number; outcome: string; finished_at: string | null; error: string | null }>;
  failedCount: { n: number };
  dead: Array<{ id: number; type: string; finished_at: string | null; attempts: number; last_error: string | null }>;
}

const emptyCounts = (): StateCounts => Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as StateCounts;

/** `leaseNow`: the real clock's instant (a pinned --now does not move leases), on which leases are judged. */
export function shapeQueueStatus(r: QueueStatusRows, nowMs: number, now: string, leaseNow = now): QueueStatus {
  const counts = emptyCounts();
  const byTypeMap = new Map<string, { type: string } & StateCounts>();
  for (const g of r.grouped) {
    counts[g.state] += g.n;
    const row = byTypeMap.get(g.type) ?? { type: g.type, ...emptyCounts() };
    row[g.state] += g.n;
    byTypeMap.set(g.type, row);
  }
  const scheduled = r.pending?.scheduled ?? 0;
  // Pending jobs are due, scheduled for later, or waiting on another job (blocked ones always are).
  const due = Math.max(0, counts.pending - scheduled - r.waiting.n);
  const oldest = r.oldest;
  return {
    counts,
    byType: [...byTypeMap.values()].sort((a, b) => a.type.localeCompare(b.type)),
    due,
    scheduled,
    waiting: r.waiting.n,
    oldestDue: oldest ? { id: oldest.id, type: oldest.type, runAt: oldest.run_at, ageMs: nowMs - fromInstant(oldest.run_at) } : null,
    nextScheduledAt: r.pending?.next ?? null,
    running: r.running.map((x) => ({
      id: x.id,
      type: x.type,
      leaseOwner: x.lease_owner,
      leaseExpiresAt: x.lease_expires_at,
      startedAt: x.started_at,
      progress: x.progress ? JSON.parse(x.progress) : null,
      expired: x.lease_expires_at !== null && x.lease_expires_at < leaseNow,
    })),
    expiredLeases: r.expired.n,
    recentFailures: r.failures.map((f) => ({
      jobId: f.job_id,
      type: f.type,
      attempt: f.attempt,
      outcome: f.outcome,
      finishedAt: f.finished_at,
      error: f.error,
    })),
    failedAttempts24h: r.failedCount.n,
    deadJobs: r.dead.map((d) => ({ id: d.id, type: d.type, finishedAt: d.finished_at, attempts: d.attempts, lastError: d.last_error })),
  };
}

/** What became of a job a feature recorded by id (a schedule's last run, a fire's job). */
export interface JobOutcome {
  state: JobState;
  attempts: number;
  lastError: string | null;
  finishedAt: string | null;
  /** Time spent running, summed over its attempts; only asked for with `durations`. */
  durationMs: number | null;
}

/** jobOutcomes' map from its rows: a job missing from it is gone (cleanup deleted it). */
export function outcomesById(rows: readonly JobOutcomeRow[]): Map<number, JobOutcome> {
  return new Map(
    rows.map((r) => [
      r.id,
      { state: r.state, attempts: r.attempts, lastError: r.last_error, finishedAt: r.finished_at, durationMs: r.duration_ms },
    ]),
  );
}
