import type { CommandRunRow } from "./schema.ts";
import { formatDuration, fromInstant } from "../time.ts";
import { DEAD_JOBS_LISTED, type QueueStatus } from "./inspect.ts";

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

/** Problems with the queue, one sentence each; empty when healthy. */
export function queueProblems(q: QueueStatus, lastProcessSuccess: CommandRunRow | null, now: number, t: QueueHealthThresholds): string[] {
  const problems: string[] = [];
  const recentDead = q.deadJobs.filter((d) => d.finishedAt !== null && now - fromInstant(d.finishedAt) <= t.deadWindowMs);
  if (recentDead.length > 0) {
    problems.push(`${recentDead.length}${recentDead.length === DEAD_JOBS_LISTED ? "+" : ""} job(s) died in the last ${formatDuration(t.deadWindowMs)} (e.g. job ${recentDead[0]?.id} ${recentDead[0]?.type}: ${recentDead[0]?.lastError ?? "?"})`);
  }
  if (q.expiredLeases > 0) problems.push(`${q.expiredLeases} running job(s) have an expired lease (a worker crashed; the next process run rescues them)`);
  if (q.oldestDue && q.oldestDue.ageMs > t.maxPendingAgeMs) {
    problems.push(`due work is waiting: job ${q.oldestDue.id} (${q.oldestDue.type}) has been due for ${formatDuration(q.oldestDue.ageMs)} (limit ${formatDuration(t.maxPendingAgeMs)})`);
  }
  // A worker is only missed while there is work for it; finished jobs are not work.
  if (q.counts.pending + q.counts.running > 0) {
    if (!lastProcessSuccess) problems.push("no successful `leadjobs process` run is recorded");
    else {
      const idle = now - fromInstant(lastProcessSuccess.finished_at ?? lastProcessSuccess.started_at);
      if (idle > t.maxWorkerIdleMs) problems.push(`no successful \`leadjobs process\` run for ${formatDuration(idle)} (limit ${formatDuration(t.maxWorkerIdleMs)})`);
    }
  }
  return problems;
}
