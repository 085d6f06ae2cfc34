import type { Db } from "../db/handle.ts";
import { attemptsByDay, completedMetricByDay, finishedRunsBySchedule } from "../queue/stats.ts";
import { scheduleNames } from "../schedule/names.ts";
import { toInstant } from "../time.ts";

/** The job types whose runs the lead report covers. */
export const LEAD_JOB_TYPES = ["leads.search", "leads.analyze", "leads.search_and_analyze"] as const;

export interface ScheduleLine {
  /** The schedule's id; null for runs enqueued by hand or run directly. */
  scheduleId: number | null;
  /** Its name (null for runs by hand); a removed schedule's name from the audit trail. */
  scheduleName: string | null;
  /** The schedule was removed since (`schedule rm`). */
  scheduleRemoved: boolean;
  runs: number;
  succeeded: number;
  failed: number;
  /** succeeded / (succeeded + failed); null before any run finished. */
  successRate: number | null;
  found: number;
  created: number;
  analysed: number;
  costMicroUsd: number;
  lastRunAt: string | null;
}

export interface DayLine {
  /** UTC date. */
  day: string;
  executions: number;
  found: number;
  created: number;
  analysed: number;
  avgDurationMs: number | null;
}

export interface LeadReport {
  since: string;
  until: string;
  bySchedule: ScheduleLine[];
  byDay: DayLine[];
}

/** The metrics of lead jobs the report sums: per schedule all, per day the counts. */
const DAY_METRICS = ["found", "created", "analysed"] as const;
const METRICS = [...DAY_METRICS, "cost_microusd"] as const;

/**
 * The seed spec's two lead reports from the job history: per schedule (runs, found, analysed,
 * success rate) and per day over the last `days` days (executions, found, created, average
 * duration). Metrics come from each run's completed attempt; a run's failed attempts count
 * only as executions.
 */
export async function leadReport(db: Db, o: { now: number; days: number }): Promise<LeadReport> {
  const since = toInstant(o.now - o.days * 86_400_000);
  const until = toInstant(o.now);
  const schedules = await finishedRunsBySchedule(db, LEAD_JOB_TYPES, METRICS);
  const days = await attemptsByDay(db, LEAD_JOB_TYPES, since, until, DAY_METRICS);
  const names = await scheduleNames(
    db,
    schedules.flatMap((r) => (r.scheduleId === null ? [] : [r.scheduleId])),
  );
  return {
    since,
    until,
    bySchedule: schedules.map(({ metrics: m, ...r }) => ({
      scheduleId: r.scheduleId,
      scheduleName: r.scheduleId === null ? null : (names.get(r.scheduleId)?.name ?? null),
      scheduleRemoved: r.scheduleId !== null && names.get(r.scheduleId)?.removed === true,
      runs: r.runs,
      succeeded: r.succeeded,
      failed: r.failed,
      successRate: r.succeeded + r.failed > 0 ? Math.round((1000 * r.succeeded) / (r.succeeded + r.failed)) / 1000 : null,
      found: m.found ?? 0,
      created: m.created ?? 0,
      analysed: m.analysed ?? 0,
      costMicroUsd: m.cost_microusd ?? 0,
      lastRunAt: r.lastFinishedAt,
    })),
    byDay: days.map(({ metrics: m, ...r }) => ({
      day: r.day,
      executions: r.executions,
      found: m.found ?? 0,
      created: m.created ?? 0,
      analysed: m.analysed ?? 0,
      avgDurationMs: r.avgDurationMs === null ? null : Math.round(r.avgDurationMs),
    })),
  };
}

/**
 * LLM cost of lead jobs per UTC day over the last `days` days, from completed attempts (the
 * per-day companion of `ScheduleLine.costMicroUsd`); days without cost are absent.
 */
export async function leadCostByDay(db: Db, o: { now: number; days: number }): Promise<Array<{ day: string; costMicroUsd: number }>> {
  const rows = await completedMetricByDay(db, LEAD_JOB_TYPES, toInstant(o.now - o.days * 86_400_000), toInstant(o.now), "cost_microusd");
  return rows.filter((r) => r.total > 0).map((r) => ({ day: r.day, costMicroUsd: r.total }));
}
