import type { CommandRunRow } from "./schema.ts";
import { formatDuration, fromInstant } from "../time.ts";
import { DEAD_JOBS_LISTED, type QueueStatus } from "./queue-status.ts";

export interface QueueHealthThresholds {
  maxPendingAgeMs: number;
  maxWorkerIdleMs: number;
  deadWindowMs: number;
}

export const DEFAULT_QUEUE_HEALTH: QueueHealthThresholds = {
  maxPendingAgeMs: 3_600_000,
  maxWorkerIdleMs: 3_600_000,
  deadWindowMs: 86_400_000,
};

/** What else tells that a worker should have run. */
export interface WorkExpected {
  /** Active schedules: their runs need `leadjobs process` even while nothing is queued. */
  activeSchedules: number;
  /** Schedules in all, active or paused. */
  schedules: number;
  /** Whether any `leadjobs enqueue` run is recorded. */
  enqueueEverRan: boolean;
  /** Whether any `leadjobs process` run is recorded, successful or not. */
  processEverRan: boolean;
}

/** Problems with the queue, one sentence each; empty when healthy. */
export function queueProblems(
  q: QueueStatus,
  lastProcessSuccess: CommandRunRow | null,
  now: number,
  t: QueueHealthThresholds,
  expected: WorkExpected = { activeSchedules: 0, schedules: 0, enqueueEverRan: true, processEverRan: true },
): string[] {
  const problems: string[] = [];
  const jobs = Object.values(q.counts).reduce((a, b) => a + b, 0);
  if (jobs === 0 && expected.schedules === 0 && !expected.enqueueEverRan && !expected.processEverRan) {
    // A mistyped --db opens a database nothing ever used: that is not "ok".
    return [
      "the database is empty: no jobs, no schedules and no `leadjobs enqueue` or `leadjobs process` run are recorded (is --db or LEADJOBS_DB the right file?)",
    ];
  }
  const recentDead = q.deadJobs.filter((d) => d.finishedAt !== null && now - fromInstant(d.finishedAt) <= t.deadWindowMs);
  if (recentDead.length > 0) {
    problems.push(
      `${recentDead.length}${recentDead.length === DEAD_JOBS_LISTED ? "+" : ""} job(s) died in the last ${formatDuration(t.deadWindowMs)} (e.g. job ${recentDead[0]?.id} ${recentDead[0]?.type}: ${recentDead[0]?.lastError ?? "?"})`,
    );
  }
  if (q.expiredLeases > 0)
    problems.push(`${q.expiredLeases} running job(s) have an expired lease (a worker crashed; the next process run rescues them)`);
  if (q.oldestDue && q.oldestDue.ageMs > t.maxPendingAgeMs) {
    problems.push(
      `due work is waiting: job ${q.oldestDue.id} (${q.oldestDue.type}) has been due for ${formatDuration(q.oldestDue.ageMs)} (limit ${formatDuration(t.maxPendingAgeMs)})`,
    );
  }
  // A worker is only missed while there is work for it; finished jobs are not work. Active
  // schedules are work to come: a worker that never succeeded is missed at once.
  if (q.counts.pending + q.counts.running > 0) {
    if (!lastProcessSuccess) problems.push("no successful `leadjobs process` run is recorded");
    else {
      const idle = now - fromInstant(lastProcessSuccess.finished_at ?? lastProcessSuccess.started_at);
      if (idle > t.maxWorkerIdleMs)
        problems.push(`no successful \`leadjobs process\` run for ${formatDuration(idle)} (limit ${formatDuration(t.maxWorkerIdleMs)})`);
    }
  } else if (expected.activeSchedules > 0 && !lastProcessSuccess) {
    problems.push(
      `${expected.activeSchedules} active schedule(s) and no successful \`leadjobs process\` run is recorded (is it in your crontab?)`,
    );
  }
  return problems;
}

/**
 * Running jobs (of those listed) whose owner process is certainly gone, their lease not yet
 * expired: a killed foreground run (invoice-pdf, run-batch, …) or worker on this host. Nothing
 * runs them until a command that runs jobs takes them back.
 */
export function ownerGoneProblems(running: ReadonlyArray<{ id: number; type: string; expired: boolean; ownerGone: boolean }>): string[] {
  const gone = running.filter((r) => r.ownerGone && !r.expired);
  const first = gone[0];
  if (!first) return [];
  return [
    `${gone.length} running job(s) are held by a process that is gone (e.g. job ${first.id} ${first.type}: killed? out of memory?); the next \`leadjobs process\` (or any command that runs jobs) takes them back`,
  ];
}
