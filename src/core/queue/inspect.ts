import { sql } from "kysely";
import { byDialect } from "../db/dialect.ts";
import { fragments } from "../db/fragments.ts";
import { pageRows, type Page, type Paged } from "../util/paging.ts";
import type { Db } from "../db/handle.ts";
import { type JobAttemptRow, type JobRow, type JobState, runningAttempt } from "./schema.ts";
import {
  DEAD_JOBS_LISTED,
  FAILURES_LISTED,
  type JobOutcome,
  outcomesById,
  type QueueStatus,
  RUNNING_LISTED,
  shapeQueueStatus,
} from "./queue-status.ts";
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
  /** The attempts that ended, and the running one (no row yet: `id` null) while the job runs. */
  attempts: Array<Omit<JobAttemptRow, "id"> & { id: number | null }>;
}

export async function getJob(db: Db, id: number): Promise<JobDetail> {
  const job = await db.selectFrom("job").selectAll().where("id", "=", id).executeTakeFirst();
  if (!job) throw new UsageError(`no job with id ${id}`, { code: "NOT_FOUND" });
  const attempts: JobDetail["attempts"] = await db.selectFrom("job_attempt").selectAll().where("job_id", "=", id).orderBy("id").execute();
  // A running attempt's row is written when it ends: until then the job row holds it.
  if (job.state === "running")
    attempts.push({
      id: null,
      ...runningAttempt(job),
      finished_at: null,
      outcome: "running",
      error: null,
      duration_ms: null,
      metrics: null,
    });
  return { job, attempts };
}

export { DEAD_JOBS_LISTED, type QueueStatus, type StateCounts } from "./queue-status.ts";

/** job_attempt_failed's own condition, literally: SQLite uses a partial index only for a condition that implies its own. */
const FAILED_OUTCOME = sql<boolean>`(outcome = 'failed' or outcome = 'timed_out' or outcome = 'lost')`;

/** The queue section of `status` (its raw SQLite twin for the light path: queue-status.sqlite.ts). */
export async function queueStatus(db: Db, nowMs: number, leaseNowMs = nowMs): Promise<QueueStatus> {
  const now = toInstant(nowMs);
  const leaseNow = toInstant(leaseNowMs);
  const grouped = await byDialect(db, { sqlite, postgres }).stateTypeCounts(db);
  const pending = await byDialect(db, { sqlite, postgres }).pendingSummary(db, now);
  const oldestRunAt = pending?.oldest ?? null;
  const oldest = oldestRunAt === null ? undefined : await byDialect(db, { sqlite, postgres }).pendingJobAt(db, oldestRunAt);
  const waiting = await byDialect(db, { sqlite, postgres }).waitingCount(db);
  const running = await db
    .selectFrom("job")
    .select(["id", "type", "lease_owner", "lease_expires_at", "started_at", "progress"])
    .where("state", "=", "running")
    .orderBy("id")
    .limit(RUNNING_LISTED)
    .execute();
  const expired = await db
    .selectFrom("job")
    .select(sql<number>`count(*)`.as("n"))
    .where("state", "=", "running")
    .where("lease_expires_at", "<", leaseNow)
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
    .limit(FAILURES_LISTED)
    .execute();
  const failedCount = await db
    .selectFrom("job_attempt")
    .select(sql<number>`count(*)`.as("n"))
    .where(FAILED_OUTCOME)
    .where("finished_at", ">=", since)
    .executeTakeFirstOrThrow();
  const dead = await byDialect(db, { sqlite, postgres }).newestDeadJobs(db, DEAD_JOBS_LISTED);
  return shapeQueueStatus({ grouped, pending, oldest, waiting, running, expired, failures, failedCount, dead }, nowMs, now, leaseNow);
}

export type { JobOutcome } from "./queue-status.ts";

/** The outcomes of the jobs with these ids; a job missing from the map is gone (cleanup deleted it). */
export async function jobOutcomes(db: Db, ids: readonly number[], o: { durations?: boolean } = {}): Promise<Map<number, JobOutcome>> {
  if (ids.length === 0) return new Map();
  const rows = await byDialect(db, { sqlite, postgres }).jobOutcomeRows(db, ids, o.durations === true);
  return outcomesById(rows);
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
