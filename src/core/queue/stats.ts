import { sql } from "kysely";
import { byDialect } from "../db/dialect.ts";
import type { Db } from "../db/handle.ts";
import { JOB_STATES, type AttemptOutcome, type JobState } from "./schema.ts";
import * as postgres from "./stats.postgres.ts";
import * as sqlite from "./stats.sqlite.ts";

// Counts and sums over the job history of some job types, for the features that report on
// their own jobs (lead report, back-office health, pending invoice PDFs).

const metricsOf = (names: readonly string[], row: Record<string, unknown>): Record<string, number> =>
  Object.fromEntries(names.map((n, i) => [n, row[`m${i}`] as number]));

export interface ScheduleRuns {
  /** null for jobs enqueued by hand or run directly. */
  scheduleId: number | null;
  /** Finished jobs (completed or dead). */
  runs: number;
  succeeded: number;
  failed: number;
  lastFinishedAt: string | null;
  /** `metrics` summed over the jobs' completed attempts. */
  metrics: Record<string, number>;
}

/** Finished jobs of `types` per schedule, schedules in id order and jobs without one last. */
export async function finishedRunsBySchedule(db: Db, types: readonly string[], metrics: readonly string[]): Promise<ScheduleRuns[]> {
  const rows = await byDialect(db, { sqlite, postgres }).finishedRunRows(db, types, metrics);
  return rows.map((r) => ({
    scheduleId: r.schedule_id,
    runs: r.runs,
    succeeded: r.succeeded,
    failed: r.failed,
    lastFinishedAt: r.last_run,
    metrics: metricsOf(metrics, r),
  }));
}

export interface DayAttempts {
  /** UTC date the attempts finished. */
  day: string;
  /** Attempts that completed, failed or timed out. */
  executions: number;
  /** Mean duration of the completed ones. */
  avgDurationMs: number | null;
  metrics: Record<string, number>;
}

/** Finished attempts of jobs of `types` per UTC day between `since` and `until`, newest day first. */
export async function attemptsByDay(
  db: Db,
  types: readonly string[],
  since: string,
  until: string,
  metrics: readonly string[],
): Promise<DayAttempts[]> {
  const rows = await byDialect(db, { sqlite, postgres }).attemptDayRows(db, types, since, until, metrics);
  return rows.map((r) => ({ day: r.day, executions: r.executions, avgDurationMs: r.avg_ms, metrics: metricsOf(metrics, r) }));
}

/** How many jobs of a type exist (any state), and when one last completed. */
export async function jobTypeSummary(db: Db, type: string): Promise<{ jobs: number; lastCompletedAt: string | null }> {
  // Every state is named so SQLite seeks the (state, type) index instead of reading every job.
  const row = await db
    .selectFrom("job")
    .select([
      sql<number>`count(*)`.as("n"),
      sql<string | null>`max(case when state = 'completed' then finished_at end)`.as("last_completed"),
    ])
    .where("state", "in", [...JOB_STATES])
    .where("type", "=", type)
    .executeTakeFirstOrThrow();
  return { jobs: row.n, lastCompletedAt: row.last_completed };
}

/** Attempts of a type's jobs that finished since `since` (completed, failed, timed out or lost), and how many of them failed. */
export async function attemptFailures(db: Db, type: string, since: string): Promise<{ total: number; failed: number }> {
  return byDialect(db, { sqlite, postgres }).attemptOutcomeCounts(db, type, since);
}

/** The newest job of a type in one of `states`, with what it reported. */
export async function latestJobOfType(
  db: Db,
  type: string,
  states: readonly JobState[],
): Promise<{ id: number; state: JobState; finishedAt: string | null; result: string | null; progress: string | null } | undefined> {
  const row = await db
    .selectFrom("job")
    .select(["id", "state", "finished_at", "result", "progress"])
    .where("type", "=", type)
    .where("state", "in", [...states])
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row && { id: row.id, state: row.state, finishedAt: row.finished_at, result: row.result, progress: row.progress };
}

/** For each dedupe key of a type's dead jobs, when the last of them died. */
export async function deadJobsByKey(db: Db, type: string): Promise<Map<string, string>> {
  const dead = await sql<{ key: string; finished: string }>`
    select dedupe_key as key, max(finished_at) as finished from job
    where type = ${type} and state = 'dead' and dedupe_key is not null group by dedupe_key`.execute(db);
  return new Map(dead.rows.map((r) => [r.key, r.finished]));
}

/** How many of a job's attempts ended with `outcome`. */
export async function attemptsWithOutcome(db: Db, jobId: number, outcome: AttemptOutcome): Promise<number> {
  const r = await sql<{ n: number }>`select count(*) as n from job_attempt where job_id = ${jobId} and outcome = ${outcome}`.execute(db);
  return r.rows[0]?.n ?? 0;
}

/** One metric summed over the completed attempts of jobs of `types`, per UTC day between `since` and `until`, oldest first. */
export function completedMetricByDay(
  db: Db,
  types: readonly string[],
  since: string,
  until: string,
  metric: string,
): Promise<Array<{ day: string; total: number }>> {
  return byDialect(db, { sqlite, postgres }).completedMetricDays(db, types, since, until, metric);
}
