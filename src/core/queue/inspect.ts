import { sql } from "kysely";
import { byDialect } from "../db/dialect.ts";
import { fragments } from "../db/fragments.ts";
import { pageRows, type Page, type Paged } from "../util/paging.ts";
import type { Db } from "../db/handle.ts";
import { JOB_STATES, type JobAttemptRow, type JobRow, type JobState } from "./schema.ts";
import { UsageError } from "../errors.ts";
import { fromInstant, toInstant } from "../time.ts";
import * as postgres from "./inspect.postgres.ts";
import * as sqlite from "./inspect.sqlite.ts";

export interface JobListFilter {
  states?: JobState[];
  types?: string[];
  /** Jobs enqueued by this schedule. */
  scheduleId?: number | undefined;
  /** Jobs created at or after this instant. */
  since?: number | undefined;
  /** Jobs whose payload's `field` is one of `values` (text, compared without regard to ASCII case). */
  payload?: { field: string; values: readonly string[] } | undefined;
}

/** Jobs, newest first: one page, and how many match in all. */
export async function listJobs(db: Db, f: JobListFilter, page: Page): Promise<Paged<JobRow>> {
  let q = db.selectFrom("job").selectAll();
  if (f.states && f.states.length > 0) q = q.where("state", "in", f.states);
  if (f.types && f.types.length > 0) q = q.where("type", "in", f.types);
  if (f.scheduleId !== undefined) q = q.where("schedule_id", "=", f.scheduleId);
  if (f.since !== undefined) q = q.where("created_at", ">=", toInstant(f.since));
  if (f.payload !== undefined) {
    const values = f.payload.values.map((v) => v.toLowerCase());
    const field = fragments(db).jsonText("job.payload", f.payload.field);
    q = q.where(sql<string>`lower(${field})`, "in", values.length > 0 ? values : [""]);
  }
  return pageRows(db, q.orderBy("id", "desc"), page);
}

export interface JobDetail {
  job: JobRow;
  attempts: JobAttemptRow[];
}

export async function getJob(db: Db, id: number): Promise<JobDetail> {
  const job = await db.selectFrom("job").selectAll().where("id", "=", id).executeTakeFirst();
  if (!job) throw new UsageError(`no job with id ${id}`, { code: "NOT_FOUND" });
  const attempts = await db.selectFrom("job_attempt").selectAll().where("job_id", "=", id).orderBy("id").execute();
  return { job, attempts };
}

export type StateCounts = Record<JobState, number>;

export interface QueueStatus {
  counts: StateCounts;
  byType: Array<{ type: string } & StateCounts>;
  /** Pending jobs whose run_at has come. */
  due: number;
  /** Pending jobs waiting for a later run_at (retries, future jobs). */
  scheduled: number;
  /** Pending jobs waiting for the job they depend on to complete. */
  waiting: number;
  oldestDue: { id: number; type: string; runAt: string; ageMs: number } | null;
  nextScheduledAt: string | null;
  running: Array<{
    id: number;
    type: string;
    leaseOwner: string | null;
    leaseExpiresAt: string | null;
    startedAt: string | null;
    progress: unknown;
    expired: boolean;
  }>;
  expiredLeases: number;
  recentFailures: Array<{ jobId: number; type: string; attempt: number; outcome: string; finishedAt: string | null; error: string | null }>;
  failedAttempts24h: number;
  deadJobs: Array<{ id: number; type: string; finishedAt: string | null; attempts: number; lastError: string | null }>;
}

/** Literal values (not parameters), so SQLite can use the partial index job_attempt_failed. */
const FAILED_OUTCOME = sql<boolean>`outcome in ('failed', 'timed_out', 'lost')`;

/** How many of the latest dead jobs `queueStatus` lists. */
export const DEAD_JOBS_LISTED = 10;

const emptyCounts = (): StateCounts => Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as StateCounts;

export async function queueStatus(db: Db, nowMs: number): Promise<QueueStatus> {
  const now = toInstant(nowMs);
  const grouped = await db
    .selectFrom("job")
    .select(["type", "state", sql<number>`count(*)`.as("n")])
    .groupBy(["state", "type"])
    .execute();
  const counts = emptyCounts();
  const byTypeMap = new Map<string, { type: string } & StateCounts>();
  for (const g of grouped) {
    counts[g.state] += g.n;
    const row = byTypeMap.get(g.type) ?? { type: g.type, ...emptyCounts() };
    row[g.state] += g.n;
    byTypeMap.set(g.type, row);
  }
  const {
    due: dueCount,
    oldest: oldestRunAt,
    next: nextRunAt,
  } = (await byDialect(db, { sqlite, postgres }).pendingSummary(db, now)) ?? { due: 0, oldest: null, next: null };
  const oldest = oldestRunAt === null ? undefined : await byDialect(db, { sqlite, postgres }).pendingJobAt(db, oldestRunAt);
  const waiting = await byDialect(db, { sqlite, postgres }).waitingCount(db);
  const running = await db
    .selectFrom("job")
    .select(["id", "type", "lease_owner", "lease_expires_at", "started_at", "progress"])
    .where("state", "=", "running")
    .orderBy("id")
    .limit(50)
    .execute();
  const expired = await db
    .selectFrom("job")
    .select(sql<number>`count(*)`.as("n"))
    .where("state", "=", "running")
    .where("lease_expires_at", "<", now)
    .executeTakeFirstOrThrow();
  const since = toInstant(nowMs - 86_400_000);
  const failures = await db
    .selectFrom("job_attempt")
    .innerJoin("job", "job.id", "job_attempt.job_id")
    .select([
      "job_attempt.job_id",
      "job.type",
      "job_attempt.attempt",
      "job_attempt.outcome",
      "job_attempt.finished_at",
      "job_attempt.error",
    ])
    .where(FAILED_OUTCOME)
    .where("job_attempt.finished_at", ">=", since)
    .orderBy("job_attempt.finished_at", "desc")
    .limit(10)
    .execute();
  const failedCount = await db
    .selectFrom("job_attempt")
    .select(sql<number>`count(*)`.as("n"))
    .where(FAILED_OUTCOME)
    .where("finished_at", ">=", since)
    .executeTakeFirstOrThrow();
  const dead = await db
    .selectFrom("job")
    .select(["id", "type", "finished_at", "attempts", "last_error"])
    .where("state", "=", "dead")
    .orderBy("finished_at", "desc")
    .limit(DEAD_JOBS_LISTED)
    .execute();

  return {
    counts,
    byType: [...byTypeMap.values()].sort((a, b) => a.type.localeCompare(b.type)),
    due: dueCount ?? 0,
    scheduled: counts.pending - (dueCount ?? 0) - waiting.n,
    waiting: waiting.n,
    oldestDue: oldest ? { id: oldest.id, type: oldest.type, runAt: oldest.run_at, ageMs: nowMs - fromInstant(oldest.run_at) } : null,
    nextScheduledAt: nextRunAt,
    running: running.map((r) => ({
      id: r.id,
      type: r.type,
      leaseOwner: r.lease_owner,
      leaseExpiresAt: r.lease_expires_at,
      startedAt: r.started_at,
      progress: r.progress ? JSON.parse(r.progress) : null,
      expired: r.lease_expires_at !== null && r.lease_expires_at < now,
    })),
    expiredLeases: expired.n,
    recentFailures: failures.map((f) => ({
      jobId: f.job_id,
      type: f.type,
      attempt: f.attempt,
      outcome: f.outcome,
      finishedAt: f.finished_at,
      error: f.error,
    })),
    failedAttempts24h: failedCount.n,
    deadJobs: dead.map((d) => ({ id: d.id, type: d.type, finishedAt: d.finished_at, attempts: d.attempts, lastError: d.last_error })),
  };
}

/** What became of a job a feature recorded by id (a schedule's last run, a fire's job). */
export interface JobOutcome {
  state: JobState;
  attempts: number;
  lastError: string | null;
  finishedAt: string | null;
  /** Time spent running, summed over its attempts; only asked for with `durations`. */
  durationMs: number | null;
}

/** The outcomes of the jobs with these ids; a job missing from the map is gone (cleanup deleted it). */
export async function jobOutcomes(db: Db, ids: readonly number[], o: { durations?: boolean } = {}): Promise<Map<number, JobOutcome>> {
  if (ids.length === 0) return new Map();
  const rows = await byDialect(db, { sqlite, postgres }).jobOutcomeRows(db, ids, o.durations === true);
  return new Map(
    rows.map((r) => [
      r.id,
      { state: r.state, attempts: r.attempts, lastError: r.last_error, finishedAt: r.finished_at, durationMs: r.duration_ms },
    ]),
  );
}

/** The schedule each of these jobs was enqueued by; jobs run by hand (or deleted by cleanup) are missing. */
export async function scheduleOfJobs(db: Db, ids: readonly number[]): Promise<Map<number, number>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom("job")
    .select(["id", "schedule_id"])
    .where("id", "in", wanted)
    .where("schedule_id", "is not", null)
    .execute();
  return new Map(rows.flatMap((r) => (r.schedule_id === null ? [] : [[r.id, r.schedule_id] as const])));
}

/** When the earliest pending, unblocked job is (or was) due, in ms; undefined when none is pending. */
export async function nextDueAt(db: Db, nowMs: number): Promise<number | undefined> {
  const s = await byDialect(db, { sqlite, postgres }).pendingSummary(db, toInstant(nowMs));
  const at = s?.oldest ?? s?.next;
  return at ? fromInstant(at) : undefined;
}
