// The schedules section of `status`, shaped from its query rows: no database code, so the Kysely
// queries (status.ts) and the raw SQLite ones of the light path (status-shape.sqlite.ts) give the
// same document.
import { type LastRuns, type RunState, runSummary } from "../queue/command-runs.ts";
import type { JobOutcome } from "../queue/queue-status.ts";
import { formatDuration, fromInstant } from "../time.ts";
import type { CatchUp } from "./catch-up.ts";
import { timingText } from "./definition.ts";
import type { ScheduleRow } from "./schema.ts";

export interface ScheduleStatusItem {
  id: number;
  name: string;
  type: string;
  owner: string;
  timing: string;
  tz: string;
  nextFireAt: string | null;
  lastRunAt: string | null;
  /** State of the last run's job; "deleted" when cleanup removed it. */
  lastOutcome: string | null;
  lastError: string | null;
  /** How long the next fire has been waiting to be enqueued, when that is longer than the limit. */
  overdueMs: number | null;
  /** Fires recorded as missed in the last 24 hours. */
  missed24h: number;
  /** The latest tick in the last 24 hours that found missed fires. */
  lastCatchUp: CatchUp | null;
}

export interface ScheduleStatus {
  active: number;
  paused: number;
  overdue: number;
  missed24h: number;
  /** The last `enqueue` tick; `state` as worker.lastRun's: killed when it recorded no exit and its process is gone. */
  lastTick: { startedAt: string; finishedAt: string | null; exitCode: number | null; state: RunState } | null;
  lastTickSuccessAt: string | null;
  /** Active schedules, overdue first, then by next fire (at most 50). */
  items: ScheduleStatusItem[];
}

const ITEMS = 50;

/** How long an active schedule's due fire has waited to be enqueued, when that is longer than the limit; else null. */
export function overdueBy(s: Pick<ScheduleRow, "active" | "next_fire_at">, now: number, overdueAfterMs: number): number | null {
  if (s.active !== 1 || s.next_fire_at === null) return null;
  const waited = now - fromInstant(s.next_fire_at);
  return waited > overdueAfterMs ? waited : null;
}

/** The columns of an active schedule the section reads. */
export const SCHEDULE_COLUMNS = [
  "id",
  "name",
  "type",
  "owner",
  "active",
  "cron",
  "at_time",
  "at_days",
  "tz",
  "next_fire_at",
  "last_run_at",
  "last_job_id",
] as const;
/** How many recent catch-ups the section reads. */
export const CATCH_UPS_READ = 500;

/** What the section's queries return, row for row. */
export interface ScheduleStatusRows {
  counts: Array<{ active: number; n: number }>;
  rows: Array<Pick<ScheduleRow, (typeof SCHEDULE_COLUMNS)[number]>>;
  lastJobs: Map<number, JobOutcome>;
  missed: Array<{ schedule_id: number; n: number }>;
  recent: CatchUp[];
  ticks: LastRuns;
}

export function shapeScheduleStatus(
  { counts, rows, lastJobs, missed, recent, ticks }: ScheduleStatusRows,
  now: number,
  overdueAfterMs: number,
  ownerGone: (owner: string) => boolean,
): ScheduleStatus {
  const missedBy = new Map(missed.map((m) => [m.schedule_id, m.n]));
  const catchUpBy = new Map<number, CatchUp>();
  for (const c of recent) if (!catchUpBy.has(c.scheduleId)) catchUpBy.set(c.scheduleId, c);

  const items = rows.map((r): ScheduleStatusItem => {
    const job = r.last_job_id === null ? undefined : lastJobs.get(r.last_job_id);
    return {
      id: r.id,
      name: r.name,
      type: r.type,
      owner: r.owner,
      timing: timingText(r),
      tz: r.tz,
      nextFireAt: r.next_fire_at,
      lastRunAt: r.last_run_at,
      lastOutcome: r.last_job_id === null ? null : job === undefined ? "deleted" : job.state,
      lastError: job?.lastError ?? null,
      overdueMs: overdueBy(r, now, overdueAfterMs),
      missed24h: missedBy.get(r.id) ?? 0,
      lastCatchUp: catchUpBy.get(r.id) ?? null,
    };
  });
  return {
    active: counts.find((c) => c.active === 1)?.n ?? 0,
    paused: counts.find((c) => c.active === 0)?.n ?? 0,
    overdue: items.filter((i) => i.overdueMs !== null).length,
    missed24h: [...missedBy.values()].reduce((a, b) => a + b, 0),
    lastTick: ticks.last && runSummary(ticks.last, ownerGone),
    lastTickSuccessAt: ticks.lastSuccess?.finished_at ?? null,
    items: items.slice(0, ITEMS),
  };
}

/** Health problems: schedules whose due fire has not been enqueued within the limit. */
export function scheduleProblems(s: ScheduleStatus, overdueAfterMs: number): string[] {
  const overdue = s.items.filter((i) => i.overdueMs !== null);
  if (overdue.length === 0) return [];
  const named = overdue
    .slice(0, 3)
    .map((i) => `"${i.name}" (due ${formatDuration(i.overdueMs as number)} ago)`)
    .join(", ");
  const more = s.overdue > 3 ? ` and ${s.overdue - 3} more` : "";
  const tick = s.lastTick ? `last \`leadjobs enqueue\` run at ${s.lastTick.startedAt}` : "no `leadjobs enqueue` run is recorded";
  return [
    `${s.overdue} schedule(s) overdue by more than ${formatDuration(overdueAfterMs)}: ${named}${more}; ${tick} (is it in your crontab?)`,
  ];
}
