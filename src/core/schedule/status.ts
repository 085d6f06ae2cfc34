import { sql } from "kysely";
import type { ScheduleRow } from "./schema.ts";
import type { Db } from "../db/handle.ts";
import { lastCommandRuns } from "../queue/command-runs.ts";
import { jobOutcomes } from "../queue/inspect.ts";
import { formatDuration, fromInstant, toInstant } from "../time.ts";
import { timingText } from "./definition.ts";
import { catchUps, type CatchUp } from "./history.ts";

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
  lastTick: { startedAt: string; finishedAt: string | null; exitCode: number | null } | null;
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

/** The schedules section of `leadjobs status`. */
export async function scheduleStatus(db: Db, now: number, overdueAfterMs: number): Promise<ScheduleStatus> {
  const counts = await db
    .selectFrom("schedule")
    .select(["active", sql<number>`count(*)`.as("n")])
    .groupBy("active")
    .execute();
  const overdueBefore = toInstant(now - overdueAfterMs);
  const rows = await db
    .selectFrom("schedule")
    .select(["id", "name", "type", "owner", "active", "cron", "at_time", "at_days", "tz", "next_fire_at", "last_run_at", "last_job_id"])
    .where("active", "=", 1)
    .orderBy(sql`case when next_fire_at < ${overdueBefore} then 0 else 1 end`)
    .orderBy(sql`next_fire_at is null`)
    .orderBy("next_fire_at")
    .orderBy("name")
    .execute();
  const lastJobs = await jobOutcomes(
    db,
    rows.flatMap((r) => (r.last_job_id === null ? [] : [r.last_job_id])),
  );
  const since = toInstant(now - 86_400_000);
  const missed = await db
    .selectFrom("schedule_fire")
    .select(["schedule_id", sql<number>`sum(fire_count)`.as("n")])
    .where("kind", "=", "missed")
    .where("recorded_at", ">=", since)
    .groupBy("schedule_id")
    .execute();
  const missedBy = new Map(missed.map((m) => [m.schedule_id, m.n]));
  const recent = await catchUps(db, { since, limit: 500 });
  const catchUpBy = new Map<number, CatchUp>();
  for (const c of recent) if (!catchUpBy.has(c.scheduleId)) catchUpBy.set(c.scheduleId, c);
  const ticks = await lastCommandRuns(db, "enqueue");

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
    lastTick: ticks.last && { startedAt: ticks.last.started_at, finishedAt: ticks.last.finished_at, exitCode: ticks.last.exit_code },
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
