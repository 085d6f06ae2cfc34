// The status document from its sections: no database code, so the Kysely path (status.ts) and the
// light path's raw SQLite one (status.sqlite.ts) build it, and its health verdict, the same way.
import { type BackofficeStatus, backofficeProblems } from "../backoffice/health-shape.ts";
import { type DbCheckStatus, dbCheckProblems } from "../cleanup/db-check-status.ts";
import { killedRunProblems, type LastRuns, runSummary } from "../queue/command-runs.ts";
import { ownerGoneProblems, queueProblems, type QueueHealthThresholds } from "../queue/health.ts";
import type { QueueStatus } from "../queue/queue-status.ts";
import { type ScheduleStatus, scheduleProblems } from "../schedule/status-shape.ts";
import { toInstant } from "../time.ts";

export interface StatusInput {
  /** The database file, as the document names it. */
  dbPath: string;
  now: number;
  /** The real clock's now (--now pins `now`, not leases): running jobs' leases are judged on it. Default: now. */
  leaseNow?: number;
  /** The overdueAfter setting: when a schedule's due fire counts as overdue. */
  overdueAfterMs: number;
  thresholds: QueueHealthThresholds;
  /** Whether a run's owner (`host:pid:boot`) is certainly gone: a run without an exit then was killed. */
  ownerGone: (owner: string) => boolean;
}

export interface StatusSections {
  queue: QueueStatus;
  processRuns: LastRuns;
  backoffice: BackofficeStatus;
  schedules: ScheduleStatus;
  integrity: DbCheckStatus;
}

export function statusDoc({ queue, processRuns, backoffice, schedules, integrity }: StatusSections, o: StatusInput) {
  const { now } = o;
  const lastRun = processRuns.last && runSummary(processRuns.last, o.ownerGone);
  // A job whose owner is gone runs nowhere, its lease still valid or not.
  const running = queue.running.map((r) => ({ ...r, ownerGone: r.leaseOwner !== null && o.ownerGone(r.leaseOwner) }));
  const problems = [
    ...killedRunProblems("`leadjobs process` run", lastRun),
    ...ownerGoneProblems(running),
    ...killedRunProblems("`leadjobs enqueue` tick", schedules.lastTick),
    ...dbCheckProblems(integrity, o.dbPath),
    ...queueProblems(queue, processRuns.lastSuccess, now, o.thresholds, {
      activeSchedules: schedules.active,
      schedules: schedules.active + schedules.paused,
      enqueueEverRan: schedules.lastTick !== null,
      processEverRan: processRuns.last !== null,
    }),
    ...scheduleProblems(schedules, o.overdueAfterMs),
    ...backofficeProblems(backoffice, now),
  ];
  return {
    db: o.dbPath,
    now: toInstant(now),
    queue: {
      counts: queue.counts,
      due: queue.due,
      scheduled: queue.scheduled,
      waiting: queue.waiting,
      oldestDue: queue.oldestDue,
      nextScheduledAt: queue.nextScheduledAt,
      byType: queue.byType,
    },
    running,
    expiredLeases: queue.expiredLeases,
    recentFailures: queue.recentFailures,
    failedAttempts24h: queue.failedAttempts24h,
    deadJobs: queue.deadJobs,
    worker: {
      lastRun,
      lastSuccessAt: processRuns.lastSuccess?.finished_at ?? null,
    },
    backoffice,
    schedules,
    integrity,
    health: { ok: problems.length === 0, problems },
  };
}

export type StatusDoc = ReturnType<typeof statusDoc>;
