import type { ScheduleRow } from "./schema.ts";
import { scheduleSlug, timingOf } from "./definition.ts";
import { describeCron } from "./describe.ts";
import { followUpOf, type ScheduleSummary } from "./store.ts";
import { overdueBy } from "./status.ts";
import { parseStoredJson } from "../util/stored-json.ts";

/** The stable JSON shape of a schedule in every `schedule` command's --json output. */
export function scheduleJson(r: ScheduleRow) {
  return {
    id: r.id,
    name: r.name,
    /** The name as the command line takes it (lower case ASCII, dashes). */
    slug: scheduleSlug(r.name),
    type: r.type,
    payload: parseStoredJson(r.payload),
    owner: r.owner,
    active: r.active === 1,
    timing: { cron: r.cron, at: r.at_time, days: r.at_days, tz: r.tz, description: describeCron(timingOf(r).cron) },
    misfire: { policy: r.misfire, graceMs: r.grace_ms, cap: r.catch_up_cap },
    priority: r.priority,
    timeoutMs: r.timeout_ms,
    then: followUpOf(r),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    checkedUntil: r.checked_until,
    nextFireAt: nextRunAt(r),
    lastFireAt: r.last_fire_at,
    lastRunAt: r.last_run_at,
    lastJobId: r.last_job_id,
    totalRuns: r.total_runs,
    missedRuns: r.missed_runs,
  };
}

/** When the schedule runs next: null when it never does again, or is paused (its stored next fire is kept for resume). */
export function nextRunAt(r: Pick<ScheduleRow, "active" | "next_fire_at">): string | null {
  return r.active === 1 ? r.next_fire_at : null;
}

/** A schedule with its last outcome, metrics and whether its due fire is overdue. */
export function summaryJson(s: ScheduleSummary, now: number, overdueAfterMs: number) {
  return {
    ...scheduleJson(s.row),
    lastOutcome: s.lastOutcome,
    lastError: s.lastError,
    overdue: isOverdue(s.row, now, overdueAfterMs),
    metrics: s.metrics,
  };
}

export function isOverdue(r: ScheduleRow, now: number, overdueAfterMs: number): boolean {
  return overdueBy(r, now, overdueAfterMs) !== null;
}
