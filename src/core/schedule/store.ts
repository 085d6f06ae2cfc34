import { sql } from "kysely";
import type { AuditAction, MisfirePolicy, ScheduleRow } from "./schema.ts";
import { immediate, type Db } from "../db/sqlite.ts";
import { UsageError } from "../errors.ts";
import { toInstant } from "../time.ts";
import { timingOf } from "./definition.ts";
import { nextFire } from "./fire-times.ts";

/** A schedule's definition: what the user sets with `schedule add` and `schedule edit`. */
export interface ScheduleDefinition {
  name: string;
  type: string;
  /** Already validated against the type's schema. */
  payload: unknown;
  owner: string;
  active: boolean;
  tz: string;
  cron: string;
  atTime: string | null;
  atDays: string | null;
  misfire: MisfirePolicy;
  graceMs: number;
  cap: number;
  priority: number;
  /** Run timeout of its jobs (null: the type's). */
  timeoutMs: number | null;
  /** The follow-up job of each run, run only after the run completed (payload already validated). */
  then: FollowUp | null;
}

export interface FollowUp {
  type: string;
  payload: unknown;
}

/** The definition of a stored schedule (the form audit rows and `--json` use). */
export function definitionOf(r: ScheduleRow): ScheduleDefinition {
  return {
    name: r.name, type: r.type, payload: JSON.parse(r.payload), owner: r.owner, active: r.active === 1,
    tz: r.tz, cron: r.cron, atTime: r.at_time, atDays: r.at_days, misfire: r.misfire,
    graceMs: r.grace_ms, cap: r.catch_up_cap, priority: r.priority,
    timeoutMs: r.timeout_ms, then: followUpOf(r),
  };
}

/** A stored schedule's follow-up, or null. */
export function followUpOf(r: Pick<ScheduleRow, "then_type" | "then_payload">): FollowUp | null {
  return r.then_type === null ? null : { type: r.then_type, payload: JSON.parse(r.then_payload ?? "{}") as unknown };
}

/** The columns of a definition's run timeout and follow-up. */
function followUpColumns(d: Pick<ScheduleDefinition, "timeoutMs" | "then">) {
  return { timeout_ms: d.timeoutMs, then_type: d.then?.type ?? null, then_payload: d.then ? JSON.stringify(d.then.payload ?? {}) : null };
}

/** Finds a schedule by name or id; a missing one is a UsageError. */
export async function findSchedule(db: Db, ref: string): Promise<ScheduleRow> {
  const q = db.selectFrom("schedule").selectAll();
  const row = /^\d+$/.test(ref) ? await q.where("id", "=", Number(ref)).executeTakeFirst() : await q.where("name", "=", ref).executeTakeFirst();
  if (!row) throw new UsageError(`no schedule named "${ref}"`, { code: "NOT_FOUND", hint: "see `leadjobs schedule list`" });
  return row;
}

async function audit(trx: Db, s: { id: number; name: string }, action: AuditAction, actor: string, now: number, changes: unknown): Promise<void> {
  await trx.insertInto("schedule_audit")
    .values({ schedule_id: s.id, schedule_name: s.name, action, actor, at: toInstant(now), changes: JSON.stringify(changes) })
    .execute();
}

function nextFireAfter(s: { cron: string; tz: string }, after: number): string | null {
  const t = nextFire(timingOf(s), after);
  return t === null ? null : toInstant(t);
}

/**
 * Adds a schedule. It never runs for fires before it was created: the first fire considered
 * is the first one after `now`.
 */
export async function addSchedule(db: Db, d: ScheduleDefinition, actor: string, now: number): Promise<ScheduleRow> {
  return immediate(db, async (trx) => {
    const taken = await trx.selectFrom("schedule").select("id").where("name", "=", d.name).executeTakeFirst();
    if (taken) throw new UsageError(`a schedule named "${d.name}" already exists (id ${taken.id})`, { hint: "use `leadjobs schedule edit`" });
    const stamp = toInstant(now);
    const row = await trx.insertInto("schedule").values({
      name: d.name, type: d.type, payload: JSON.stringify(d.payload ?? {}), owner: d.owner, active: d.active ? 1 : 0,
      tz: d.tz, cron: d.cron, at_time: d.atTime, at_days: d.atDays, misfire: d.misfire, grace_ms: d.graceMs,
      catch_up_cap: d.cap, priority: d.priority, created_at: stamp, updated_at: stamp, checked_until: stamp,
      next_fire_at: nextFireAfter(d, now), ...followUpColumns(d),
    }).returningAll().executeTakeFirstOrThrow();
    await audit(trx, row, "add", actor, now, definitionOf(row));
    return row;
  });
}

export interface EditResult {
  row: ScheduleRow;
  /** Changed fields: [before, after]. Empty when nothing changed. */
  changes: Record<string, [unknown, unknown]>;
}

/**
 * Changes a schedule's definition and records who changed what. A new timing (expression or
 * zone) counts from now: fires of the new timing before the edit do not run.
 */
export async function editSchedule(db: Db, ref: string, patch: Partial<ScheduleDefinition>, actor: string, now: number): Promise<EditResult> {
  return immediate(db, async (trx) => {
    const row = await findSchedule(trx, ref);
    const before = definitionOf(row);
    const after: ScheduleDefinition = { ...before, ...patch };
    const changes: Record<string, [unknown, unknown]> = {};
    for (const key of Object.keys(after) as Array<keyof ScheduleDefinition>) {
      if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = [before[key], after[key]];
    }
    if (Object.keys(changes).length === 0) return { row, changes };
    if (changes.name) {
      const taken = await trx.selectFrom("schedule").select("id").where("name", "=", after.name).executeTakeFirst();
      if (taken) throw new UsageError(`a schedule named "${after.name}" already exists (id ${taken.id})`);
    }
    const stamp = toInstant(now);
    const retimed = changes.cron !== undefined || changes.tz !== undefined || (changes.active !== undefined && after.active);
    const checkedUntil = retimed && row.checked_until < stamp ? stamp : row.checked_until;
    const updated = await trx.updateTable("schedule").set({
      name: after.name, type: after.type, payload: JSON.stringify(after.payload ?? {}), owner: after.owner, active: after.active ? 1 : 0,
      tz: after.tz, cron: after.cron, at_time: after.atTime, at_days: after.atDays, misfire: after.misfire,
      grace_ms: after.graceMs, catch_up_cap: after.cap, priority: after.priority, ...followUpColumns(after), updated_at: stamp,
      checked_until: checkedUntil, next_fire_at: nextFireAfter(after, Date.parse(checkedUntil)),
    }).where("id", "=", row.id).returningAll().executeTakeFirstOrThrow();
    const action: AuditAction = Object.keys(changes).length === 1 && changes.active ? (after.active ? "resume" : "pause") : "edit";
    await audit(trx, updated, action, actor, now, changes);
    return { row: updated, changes };
  });
}

export interface RemoveResult {
  row: ScheduleRow;
  /** Jobs of the schedule still pending or running; they stay in the queue. */
  liveJobs: number;
}

/** Deletes a schedule and its fire history; the audit trail keeps the deletion and the definition. */
export async function removeSchedule(db: Db, ref: string, actor: string, now: number): Promise<RemoveResult> {
  return immediate(db, async (trx) => {
    const row = await findSchedule(trx, ref);
    const live = await trx.selectFrom("job").select(sql<number>`count(*)`.as("n"))
      .where("schedule_id", "=", row.id).where("state", "in", ["pending", "running"]).executeTakeFirstOrThrow();
    await audit(trx, row, "rm", actor, now, definitionOf(row));
    await trx.deleteFrom("schedule").where("id", "=", row.id).execute();
    return { row, liveJobs: live.n };
  });
}

export interface ScheduleListFilter {
  owner?: string | undefined;
  id?: number | undefined;
}

/** A schedule with the outcome of its last run and its pending work. */
export interface ScheduleSummary {
  row: ScheduleRow;
  /** State of the last run's job (completed, dead, pending, ...); "deleted" when cleanup removed it. */
  lastOutcome: string | null;
  lastError: string | null;
  lastFinishedAt: string | null;
  /** Fires recorded as missed in all. */
  missedRuns: number;
  /** Job metrics summed over every attempt of every job of the schedule. */
  metrics: Record<string, number>;
}

export async function listSchedules(db: Db, f: ScheduleListFilter = {}): Promise<ScheduleSummary[]> {
  let q = db.selectFrom("schedule").leftJoin("job", "job.id", "schedule.last_job_id")
    .selectAll("schedule")
    .select(["job.id as job_id", "job.state as job_state", "job.last_error as job_error", "job.finished_at as job_finished_at"]);
  if (f.owner !== undefined) q = q.where("schedule.owner", "=", f.owner);
  if (f.id !== undefined) q = q.where("schedule.id", "=", f.id);
  const rows = await q.orderBy("schedule.name").execute();
  const metrics = await scheduleMetrics(db, rows.map((r) => r.id));
  return rows.map(({ job_id, job_state, job_error, job_finished_at, ...row }) => ({
    row,
    lastOutcome: row.last_job_id === null ? null : job_id === null ? "deleted" : job_state,
    lastError: job_error,
    lastFinishedAt: job_finished_at,
    missedRuns: row.missed_runs,
    metrics: metrics.get(row.id) ?? {},
  }));
}

/** Sums of the numeric metrics handlers reported, per schedule, over every attempt of its jobs. */
export async function scheduleMetrics(db: Db, ids: number[]): Promise<Map<number, Record<string, number>>> {
  const out = new Map<number, Record<string, number>>();
  if (ids.length === 0) return out;
  const rows = await sql<{ schedule_id: number; key: string; total: number }>`
    select job.schedule_id, m.key, sum(m.value) as total
    from job join job_attempt a on a.job_id = job.id, json_each(a.metrics) m
    where job.schedule_id in (select value from json_each(${JSON.stringify(ids)})) and a.metrics is not null and m.type in ('integer', 'real')
    group by job.schedule_id, m.key
    order by m.key`.execute(db);
  for (const r of rows.rows) {
    const m = out.get(r.schedule_id) ?? {};
    m[r.key] = r.total;
    out.set(r.schedule_id, m);
  }
  return out;
}

export interface AuditEntry {
  action: AuditAction;
  actor: string;
  at: string;
  changes: unknown;
}

export async function scheduleAudit(db: Db, scheduleId: number, limit = 20): Promise<AuditEntry[]> {
  const rows = await db.selectFrom("schedule_audit").selectAll().where("schedule_id", "=", scheduleId)
    .orderBy("id", "desc").limit(limit).execute();
  return rows.map((r) => ({ action: r.action, actor: r.actor, at: r.at, changes: JSON.parse(r.changes) }));
}
