import { sql } from "kysely";
import { CANNOT_ENQUEUE_LIKE, type CatchUp, catchUpOf } from "./catch-up.ts";
import type { FireKind } from "./schema.ts";
import type { Db } from "../db/handle.ts";
import { jobOutcomes, type JobOutcome } from "../queue/inspect.ts";
import { pageRows, type Page, type Paged } from "../util/paging.ts";

/** One fire of a schedule with the job it enqueued. */
export interface FireEntry {
  kind: FireKind;
  fireAt: string;
  /** A merged missed row stands for several fires, fireAt .. lastFireAt. */
  fireCount: number;
  lastFireAt: string | null;
  recordedAt: string;
  lateMs: number;
  policy: string;
  reason: string | null;
  actor: string | null;
  job: {
    id: number;
    /** Job state; "deleted" when the job row is gone (cleanup). */
    state: string;
    attempts: number;
    /** Time spent running, summed over attempts. */
    durationMs: number | null;
    error: string | null;
  } | null;
}

export async function scheduleHistory(db: Db, scheduleId: number, limit: number): Promise<FireEntry[]> {
  return (await scheduleHistoryPage(db, scheduleId, { limit, offset: 0 })).items;
}

/** A schedule's fires, newest first: one page, and how many there are in all. */
export async function scheduleHistoryPage(db: Db, scheduleId: number, page: Page): Promise<Paged<FireEntry>> {
  const q = db
    .selectFrom("schedule_fire as f")
    .select([
      "f.kind",
      "f.fire_at",
      "f.fire_count",
      "f.last_fire_at",
      "f.recorded_at",
      "f.late_ms",
      "f.policy",
      "f.reason",
      "f.actor",
      "f.job_id",
    ])
    .where("f.schedule_id", "=", scheduleId)
    .orderBy("f.fire_at", "desc")
    .orderBy("f.id", "desc");
  const { items: rows, total } = await pageRows(db, q, page);
  const jobs = await jobOutcomes(
    db,
    rows.flatMap((r) => (r.job_id === null ? [] : [r.job_id])),
    { durations: true },
  );
  const items = rows.map((r) => ({
    kind: r.kind,
    fireAt: r.fire_at,
    fireCount: r.fire_count,
    lastFireAt: r.last_fire_at,
    recordedAt: r.recorded_at,
    lateMs: r.late_ms,
    policy: r.policy,
    reason: r.reason,
    actor: r.actor,
    job: r.job_id === null ? null : jobEntry(r.job_id, jobs.get(r.job_id)),
  }));
  return { items, total };
}

function jobEntry(id: number, job: JobOutcome | undefined): NonNullable<FireEntry["job"]> {
  return job === undefined
    ? { id, state: "deleted", attempts: 0, durationMs: null, error: null }
    : { id, state: job.state, attempts: job.attempts, durationMs: job.durationMs, error: job.lastError };
}

/** A tick that found missed fires: "missed 3 runs ..., ran once at 08:02". */
export type { CatchUp } from "./catch-up.ts";

/** The latest ticks that recorded missed fires, newest first (all schedules, or some). */
export async function catchUps(db: Db, o: { scheduleIds?: number[]; since?: string; limit: number }): Promise<CatchUp[]> {
  let q = db
    .selectFrom("schedule_fire as m")
    .select([
      "m.schedule_id",
      "m.recorded_at",
      "m.policy",
      sql<number>`sum(m.fire_count)`.as("missed"),
      sql<string>`min(m.fire_at)`.as("first_missed"),
      sql<string>`max(coalesce(m.last_fire_at, m.fire_at))`.as("last_missed"),
      sql<number>`(select count(*) from schedule_fire r where r.schedule_id = m.schedule_id and r.recorded_at = m.recorded_at and r.kind = 'run')`.as(
        "ran",
      ),
      sql<number>`sum(case when m.reason like ${CANNOT_ENQUEUE_LIKE} then m.fire_count else 0 end)`.as("failed"),
      sql<string | null>`max(case when m.reason like ${CANNOT_ENQUEUE_LIKE} then m.reason end)`.as("error"),
    ])
    .where("m.kind", "=", "missed");
  if (o.scheduleIds) q = q.where("m.schedule_id", "in", o.scheduleIds.length > 0 ? o.scheduleIds : [-1]);
  if (o.since) q = q.where("m.recorded_at", ">=", o.since);
  const rows = await q.groupBy(["m.schedule_id", "m.recorded_at", "m.policy"]).orderBy("m.recorded_at", "desc").limit(o.limit).execute();
  return rows.map(catchUpOf);
}

/**
 * Deletes fire records older than the retention (a few thousand per call, so a tick stays
 * short); the schedules' counters keep the totals.
 */
export async function pruneFires(db: Db, before: string, max = 5000): Promise<number> {
  const r =
    await sql`delete from schedule_fire where id in (select id from schedule_fire where recorded_at < ${before} limit ${max})`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}
