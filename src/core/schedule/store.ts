import { sql } from "kysely";
import type { AuditAction, MisfirePolicy, ScheduleRow } from "./schema.ts";
import { immediate, type Db } from "../db/handle.ts";
import { UsageError } from "../errors.ts";
import { toInstant } from "../time.ts";
import { scheduleSlug, timingOf } from "./definition.ts";
import { nextFire } from "./fire-times.ts";
import { jobOutcomes } from "../queue/inspect.ts";
import { liveScheduleJobs, metricsBySchedule } from "../queue/schedule-jobs.ts";
import { parseStoredJson } from "../util/stored-json.ts";

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
    name: r.name,
    type: r.type,
    payload: parseStoredJson(r.payload),
    owner: r.owner,
    active: r.active === 1,
    tz: r.tz,
    cron: r.cron,
    atTime: r.at_time,
    atDays: r.at_days,
    misfire: r.misfire,
    graceMs: r.grace_ms,
    cap: r.catch_up_cap,
    priority: r.priority,
    timeoutMs: r.timeout_ms,
    then: followUpOf(r),
  };
}

/** A stored schedule's follow-up, or null. */
export function followUpOf(r: Pick<ScheduleRow, "then_type" | "then_payload">): FollowUp | null {
  return r.then_type === null ? null : { type: r.then_type, payload: parseStoredJson(r.then_payload ?? "{}") };
}

/** The columns of a definition's run timeout and follow-up. */
function followUpColumns(d: Pick<ScheduleDefinition, "timeoutMs" | "then">) {
  return { timeout_ms: d.timeoutMs, then_type: d.then?.type ?? null, then_payload: d.then ? JSON.stringify(d.then.payload ?? {}) : null };
}

/** Finds a schedule by id, name or slug (`schedule list` shows both); a missing one is a UsageError. */
export async function findSchedule(db: Db, ref: string): Promise<ScheduleRow> {
  const q = db.selectFrom("schedule").selectAll();
  const row = /^\d+$/.test(ref)
    ? await q.where("id", "=", Number(ref)).executeTakeFirst()
    : await q.where("name", "=", ref).executeTakeFirst();
  if (row) return row;
  const bySlug = /^\d+$/.test(ref) ? [] : (await q.execute()).filter((r) => scheduleSlug(r.name) === scheduleSlug(ref));
  if (bySlug.length === 1) return bySlug[0]!;
  if (bySlug.length > 1) {
    throw new UsageError(`"${ref}" matches several schedules: ${bySlug.map((r) => `${r.name} (id ${r.id})`).join(", ")}`, {
      hint: "give the exact name or the id",
    });
  }
  throw new UsageError(`no schedule named "${ref}"`, { code: "NOT_FOUND", hint: "see `leadjobs schedule list`" });
}

/** Refuses a name (or a name whose slug) another schedule already has. */
async function assertNameFree(trx: Db, name: string, hint?: string): Promise<void> {
  const slug = scheduleSlug(name);
  const taken = (await trx.selectFrom("schedule").select(["id", "name"]).execute()).find(
    (r) => r.name === name || scheduleSlug(r.name) === slug,
  );
  if (!taken) return;
  const message =
    taken.name === name
      ? `a schedule named "${name}" already exists (id ${taken.id})`
      : `the name "${name}" is too close to schedule "${taken.name}" (id ${taken.id}): both are "${slug}" on the command line`;
  throw new UsageError(message, hint === undefined ? {} : { hint });
}

/**
 * The id for a new schedule: above every id ever given, so a new schedule never takes a removed
 * one's id (and with it its audit trail, jobs and metrics).
 */
export async function newScheduleId(trx: Db): Promise<number> {
  const mark = await trx.selectFrom("schedule_id_high_water").select("last_id").executeTakeFirst();
  const max = await trx.selectFrom("schedule").select(sql<number | null>`max(id)`.as("id")).executeTakeFirstOrThrow();
  return Math.max(mark?.last_id ?? 0, max.id ?? 0) + 1;
}

export async function audit(
  trx: Db,
  s: { id: number; name: string },
  action: AuditAction,
  actor: string,
  now: number,
  changes: unknown,
): Promise<void> {
  await trx
    .insertInto("schedule_audit")
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
    await assertNameFree(trx, d.name, "use `leadjobs schedule edit`");
    const stamp = toInstant(now);
    const row = await trx
      .insertInto("schedule")
      .values({
        id: await newScheduleId(trx),
        name: d.name,
        type: d.type,
        payload: JSON.stringify(d.payload ?? {}),
        owner: d.owner,
        active: d.active ? 1 : 0,
        tz: d.tz,
        cron: d.cron,
        at_time: d.atTime,
        at_days: d.atDays,
        misfire: d.misfire,
        grace_ms: d.graceMs,
        catch_up_cap: d.cap,
        priority: d.priority,
        created_at: stamp,
        updated_at: stamp,
        checked_until: stamp,
        next_fire_at: nextFireAfter(d, now),
        ...followUpColumns(d),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, row, "add", actor, now, definitionOf(row));
    return row;
  });
}

/**
 * Runs on the schedule as found under the write lock, before anything is written (with the
 * definition it would get): throws to refuse the change (who may change it).
 */
export type ScheduleCheck = (row: ScheduleRow, after?: ScheduleDefinition) => void;

export interface EditResult {
  row: ScheduleRow;
  /** Changed fields: [before, after]. Empty when nothing changed. */
  changes: Record<string, [unknown, unknown]>;
}

/**
 * Changes a schedule's definition and records who changed what. A new timing (expression or
 * zone) counts from now: fires of the new timing before the edit do not run.
 */
export async function editSchedule(
  db: Db,
  ref: string,
  patch: Partial<ScheduleDefinition>,
  actor: string,
  now: number,
  check: ScheduleCheck = () => {},
): Promise<EditResult> {
  return immediate(db, async (trx) => {
    const row = await findSchedule(trx, ref);
    const before = definitionOf(row);
    const after: ScheduleDefinition = { ...before, ...patch };
    check(row, after);
    const changes: Record<string, [unknown, unknown]> = {};
    for (const key of Object.keys(after) as Array<keyof ScheduleDefinition>) {
      if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = [before[key], after[key]];
    }
    if (Object.keys(changes).length === 0) return { row, changes };
    if (changes.name) {
      const taken = await trx.selectFrom("schedule").select("id").where("name", "=", after.name).executeTakeFirst();
      if (taken) throw new UsageError(`a schedule named "${after.name}" already exists (id ${taken.id})`);
      if (scheduleSlug(after.name) !== scheduleSlug(before.name)) await assertNameFree(trx, after.name);
    }
    const stamp = toInstant(now);
    const retimed = changes.cron !== undefined || changes.tz !== undefined || (changes.active !== undefined && after.active);
    const checkedUntil = retimed && row.checked_until < stamp ? stamp : row.checked_until;
    const updated = await trx
      .updateTable("schedule")
      .set({
        name: after.name,
        type: after.type,
        payload: JSON.stringify(after.payload ?? {}),
        owner: after.owner,
        active: after.active ? 1 : 0,
        tz: after.tz,
        cron: after.cron,
        at_time: after.atTime,
        at_days: after.atDays,
        misfire: after.misfire,
        grace_ms: after.graceMs,
        catch_up_cap: after.cap,
        priority: after.priority,
        ...followUpColumns(after),
        updated_at: stamp,
        checked_until: checkedUntil,
        next_fire_at: nextFireAfter(after, Date.parse(checkedUntil)),
      })
      .where("id", "=", row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
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
export async function removeSchedule(
  db: Db,
  ref: string,
  actor: string,
  now: number,
  check: ScheduleCheck = () => {},
): Promise<RemoveResult> {
  return immediate(db, async (trx) => {
    const row = await findSchedule(trx, ref);
    check(row);
    const live = await liveScheduleJobs(trx, row.id);
    await audit(trx, row, "rm", actor, now, definitionOf(row));
    await trx.deleteFrom("schedule").where("id", "=", row.id).execute();
    return { row, liveJobs: live };
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
  let q = db.selectFrom("schedule").selectAll();
  if (f.owner !== undefined) q = q.where("owner", "=", f.owner);
  if (f.id !== undefined) q = q.where("id", "=", f.id);
  const rows = await q.orderBy("name").execute();
  const lastJobs = await jobOutcomes(
    db,
    rows.flatMap((r) => (r.last_job_id === null ? [] : [r.last_job_id])),
  );
  const metrics = await metricsBySchedule(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => {
    const job = row.last_job_id === null ? undefined : lastJobs.get(row.last_job_id);
    return {
      row,
      lastOutcome: row.last_job_id === null ? null : job === undefined ? "deleted" : job.state,
      lastError: job?.lastError ?? null,
      lastFinishedAt: job?.finishedAt ?? null,
      missedRuns: row.missed_runs,
      metrics: metrics.get(row.id) ?? {},
    };
  });
}

export interface AuditEntry {
  action: AuditAction;
  actor: string;
  at: string;
  changes: unknown;
}

export async function scheduleAudit(db: Db, scheduleId: number, limit = 20): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom("schedule_audit")
    .selectAll()
    .where("schedule_id", "=", scheduleId)
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ action: r.action, actor: r.actor, at: r.at, changes: parseStoredJson(r.changes) }));
}

/** A removed schedule as the audit trail keeps it: its definition when it was removed, and its changes. */
export interface RemovedSchedule {
  id: number;
  name: string;
  removedAt: string;
  removedBy: string;
  definition: unknown;
  audit: AuditEntry[];
}

/**
 * Finds a removed schedule in the audit trail by id, name or slug (the latest removal of that
 * name); a schedule never removed is a UsageError.
 */
export async function findRemovedSchedule(db: Db, ref: string, limit = 20): Promise<RemovedSchedule> {
  const removals = await db.selectFrom("schedule_audit").selectAll().where("action", "=", "rm").orderBy("id", "desc").execute();
  const rm = /^\d+$/.test(ref)
    ? removals.find((r) => r.schedule_id === Number(ref))
    : (removals.find((r) => r.schedule_name === ref) ?? removals.find((r) => scheduleSlug(r.schedule_name) === scheduleSlug(ref)));
  if (!rm)
    throw new UsageError(`no removed schedule named "${ref}"`, { code: "NOT_FOUND", hint: "the audit trail has no `schedule rm` of it" });
  return {
    id: rm.schedule_id,
    name: rm.schedule_name,
    removedAt: rm.at,
    removedBy: rm.actor,
    definition: parseStoredJson(rm.changes),
    audit: await scheduleAudit(db, rm.schedule_id, limit),
  };
}
