import { backofficeProblems, backofficeStatus } from "../backoffice/health.ts";
import type { Db } from "../db/handle.ts";
import { lastCommandRuns } from "../queue/command-runs.ts";
import { queueProblems, type QueueHealthThresholds } from "../queue/health.ts";
import { queueStatus } from "../queue/inspect.ts";
import { scheduleProblems, scheduleStatus } from "../schedule/status.ts";
import { toInstant } from "../time.ts";

export interface StatusInput {
  /** The database file, as the document names it. */
  dbPath: string;
  now: number;
  /** The overdueAfter setting: when a schedule's due fire counts as overdue. */
  overdueAfterMs: number;
  thresholds: QueueHealthThresholds;
}

/**
 * The status document: `status --json` prints it as is (its shape is stable for scripts),
 * `status --check` exits on its health verdict, and `report html` shows the same verdict.
 */
export async function collectStatus(db: Db, o: StatusInput) {
  const { now } = o;
  const queue = await queueStatus(db, now);
  const processRuns = await lastCommandRuns(db, "process");
  const backoffice = await backofficeStatus(db, now);
  const schedules = await scheduleStatus(db, now, o.overdueAfterMs);
  const problems = [
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
    running: queue.running,
    expiredLeases: queue.expiredLeases,
    recentFailures: queue.recentFailures,
    failedAttempts24h: queue.failedAttempts24h,
    deadJobs: queue.deadJobs,
    worker: {
      lastRun: processRuns.last && {
        startedAt: processRuns.last.started_at,
        finishedAt: processRuns.last.finished_at,
        exitCode: processRuns.last.exit_code,
      },
      lastSuccessAt: processRuns.lastSuccess?.finished_at ?? null,
    },
    backoffice,
    schedules,
    health: { ok: problems.length === 0, problems },
  };
}

export type StatusDoc = Awaited<ReturnType<typeof collectStatus>>;
