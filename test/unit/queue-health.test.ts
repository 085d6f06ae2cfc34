import { describe, expect, it } from "vitest";
import { DEFAULT_QUEUE_HEALTH, queueProblems } from "../../src/core/queue/health.ts";
import type { QueueStatus } from "../../src/core/queue/inspect.ts";
import type { CommandRunRow } from "../../src/core/queue/schema.ts";

const NOW = Date.parse("2026-11-22T08:00:00Z");
const H = 3_600_000;

function status(counts: Partial<QueueStatus["counts"]>): QueueStatus {
  return {
    counts: { pending: 0, running: 0, completed: 0, dead: 0, cancelled: 0, ...counts },
    byType: [],
    due: 0,
    scheduled: counts.pending ?? 0,
    waiting: 0,
    oldestDue: null,
    nextScheduledAt: null,
    running: [],
    expiredLeases: 0,
    recentFailures: [],
    failedAttempts24h: 0,
    deadJobs: [],
  };
}

const run = (finishedAgoMs: number): CommandRunRow => ({
  id: 1,
  command: "process",
  owner: "h:1",
  started_at: new Date(NOW - finishedAgoMs - 1000).toISOString(),
  finished_at: new Date(NOW - finishedAgoMs).toISOString(),
  exit_code: 0,
  summary: null,
});

describe("queue health", () => {
  it("misses the worker only while there is pending or running work", () => {
    expect(queueProblems(status({ completed: 500, cancelled: 3 }), run(3 * 24 * H), NOW, DEFAULT_QUEUE_HEALTH)).toEqual([]);
    expect(queueProblems(status({ completed: 500 }), null, NOW, DEFAULT_QUEUE_HEALTH)).toEqual([]);
    expect(queueProblems(status({ pending: 1 }), run(2 * H), NOW, DEFAULT_QUEUE_HEALTH)).toEqual([
      "no successful `leadjobs process` run for 2h (limit 1h)",
    ]);
    expect(queueProblems(status({ running: 1 }), null, NOW, DEFAULT_QUEUE_HEALTH)).toEqual([
      "no successful `leadjobs process` run is recorded",
    ]);
    expect(queueProblems(status({ pending: 1 }), run(10 * 60_000), NOW, DEFAULT_QUEUE_HEALTH)).toEqual([]);
  });

  it("an empty database, and active schedules no worker ever ran, are problems", () => {
    const never = { activeSchedules: 0, schedules: 0, enqueueEverRan: false, processEverRan: false };
    expect(queueProblems(status({}), null, NOW, DEFAULT_QUEUE_HEALTH, never)[0]).toMatch(/^the database is empty/);
    expect(queueProblems(status({}), null, NOW, DEFAULT_QUEUE_HEALTH, { ...never, activeSchedules: 2, schedules: 2 })).toEqual([
      "2 active schedule(s) and no successful `leadjobs process` run is recorded (is it in your crontab?)",
    ]);
    expect(
      queueProblems(status({}), run(3 * 24 * H), NOW, DEFAULT_QUEUE_HEALTH, {
        ...never,
        activeSchedules: 2,
        schedules: 2,
        processEverRan: true,
      }),
    ).toEqual([]);
    expect(queueProblems(status({ completed: 1 }), null, NOW, DEFAULT_QUEUE_HEALTH, never)).toEqual([]);
  });
});
