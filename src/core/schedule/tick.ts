import { sql } from "kysely";
import type { ScheduleRow } from "../db/schema-schedules.ts";
import { immediate, type Db } from "../db/sqlite.ts";
import { errorMessage } from "../errors.ts";
import { parsePayload } from "../jobs/registry.ts";
import type { JobDefinition } from "../jobs/types.ts";
import { retryPolicy } from "../queue/backoff.ts";
import { insertJobs } from "../queue/enqueue.ts";
import { toInstant } from "../time.ts";
import { timingOf } from "./definition.ts";
import { firesBetween, nextFire } from "./fire-times.ts";
import { planFires, type MissedFire } from "./misfire.ts";
import { findSchedule } from "./store.ts";

/** Fires older than this are not looked at individually (a machine off for over a year). */
const LOOKBACK_MS = 366 * 86_400_000;
/** Missed fires beyond this many in one tick are recorded as one merged row. */
const MISSED_ROWS = 50;

export interface TickDeps {
  now: number;
  /** Compute and report only; write nothing. */
  dryRun: boolean;
  loadJobType: (type: string) => Promise<JobDefinition<unknown>>;
}

/** What one tick did (or, in a dry run, would do) for one schedule. */
export interface ScheduleTick {
  id: number;
  name: string;
  type: string;
  /** The schedule's zone (for showing fire times). */
  tz: string;
  policy: string;
  /** Fires that ran: the job enqueued for each (null in a dry run). */
  runs: Array<{ fireAt: string; lateMs: number; jobId: number | null }>;
  /** Fires recorded as missed, summed up (they can be thousands after a long downtime). */
  missed: { count: number; firstFireAt: string; lastFireAt: string; reasons: string[] } | null;
  /** Set when the runs could not be enqueued (the payload no longer validates, the type is gone). */
  error: string | null;
  nextFireAt: string | null;
}

/**
 * The schedule half of `leadjobs enqueue`: for every active schedule with a fire due since it
 * was last checked, applies its misfire policy, enqueues the runs and records every fire (ran
 * or missed). All in one IMMEDIATE transaction that re-reads each schedule's cursor, and each
 * fire is unique per (schedule, time): overlapping ticks cannot create a fire twice.
 */
export async function tickSchedules(db: Db, o: TickDeps): Promise<ScheduleTick[]> {
  if (o.dryRun) return planTick(db, o);
  return immediate(db, (trx) => planTick(trx, o));
}

async function planTick(db: Db, o: TickDeps): Promise<ScheduleTick[]> {
  const now = toInstant(o.now);
  const due = await db.selectFrom("schedule").selectAll()
    .where("active", "=", 1).where("next_fire_at", "is not", null).where("next_fire_at", "<=", now)
    .orderBy("priority", "desc").orderBy("next_fire_at").orderBy("id").execute();
  const out: ScheduleTick[] = [];
  for (const s of due) out.push(await tickOne(db, s, o));
  return out;
}

async function tickOne(db: Db, s: ScheduleRow, o: TickDeps): Promise<ScheduleTick> {
  const timing = timingOf(s);
  const from = Math.max(Date.parse(s.checked_until), o.now - LOOKBACK_MS);
  const fires = firesBetween(timing, from, o.now);
  const plan = planFires(fires, o.now, { policy: s.misfire, graceMs: s.grace_ms, cap: s.catch_up_cap });
  const next = nextFire(timing, o.now);
  const result: ScheduleTick = {
    id: s.id, name: s.name, type: s.type, tz: s.tz, policy: s.misfire, runs: [], missed: null, error: null,
    nextFireAt: next === null ? null : toInstant(next),
  };

  let job: { payload: unknown; maxAttempts: number } | null = null;
  try {
    const def = await o.loadJobType(s.type);
    job = { payload: parsePayload(def, JSON.parse(s.payload)), maxAttempts: retryPolicy(def.retry).maxAttempts };
  } catch (e) {
    result.error = `cannot enqueue ${s.type}: ${errorMessage(e)}`;
  }
  const missed: MissedFire[] = [...plan.missed];
  const runs = job ? plan.run : [];
  if (!job) for (const at of plan.run) missed.push({ at, reason: result.error as string });
  missed.sort((a, b) => a.at - b.at);

  if (missed.length > 0) {
    result.missed = {
      count: missed.length,
      firstFireAt: toInstant((missed[0] as MissedFire).at),
      lastFireAt: toInstant((missed[missed.length - 1] as MissedFire).at),
      reasons: [...new Set(missed.map((m) => m.reason))],
    };
  }
  result.runs = runs.map((at) => ({ fireAt: toInstant(at), lateMs: o.now - at, jobId: null }));
  if (o.dryRun) return result;

  const stamp = toInstant(o.now);
  const jobs = job && runs.length > 0
    ? await insertJobs(db, runs.map(() => ({ type: s.type, payload: job.payload, runAt: o.now, priority: s.priority, maxAttempts: job.maxAttempts, scheduleId: s.id })), o.now)
    : [];
  runs.forEach((_, i) => ((result.runs[i] as { jobId: number | null }).jobId = jobs[i]?.id ?? null));

  const rows = [
    ...mergeMissed(missed).map((m) => ({
      kind: "missed", fire_at: toInstant(m.at), fire_count: m.count, last_fire_at: m.count > 1 ? toInstant(m.last) : null,
      late_ms: o.now - m.last, reason: m.reason, job_id: null,
    })),
    ...runs.map((at, i) => ({ kind: "run", fire_at: toInstant(at), fire_count: 1, last_fire_at: null, late_ms: o.now - at, reason: null, job_id: jobs[i]?.id ?? null })),
  ];
  if (rows.length > 0) {
    await sql`
      insert into schedule_fire (schedule_id, kind, fire_at, fire_count, last_fire_at, recorded_at, late_ms, policy, reason, job_id)
      select ${s.id}, v.value ->> 'kind', v.value ->> 'fire_at', v.value ->> 'fire_count', v.value ->> 'last_fire_at', ${stamp},
             v.value ->> 'late_ms', ${s.misfire}, v.value ->> 'reason', v.value ->> 'job_id'
      from json_each(${JSON.stringify(rows)}) as v`.execute(db);
  }
  const lastRun = runs.length > 0 ? runs[runs.length - 1] as number : null;
  await db.updateTable("schedule").set((eb) => ({
    checked_until: stamp,
    next_fire_at: result.nextFireAt,
    total_runs: eb("total_runs", "+", runs.length),
    missed_runs: eb("missed_runs", "+", missed.length),
    ...(lastRun !== null ? { last_fire_at: toInstant(lastRun), last_run_at: stamp, last_job_id: jobs[jobs.length - 1]?.id ?? null } : {}),
  })).where("id", "=", s.id).execute();
  return result;
}

/** Keeps the latest missed fires as rows of their own and merges the older ones into one row. */
function mergeMissed(missed: MissedFire[]): Array<{ at: number; last: number; count: number; reason: string }> {
  const rows = missed.map((m) => ({ at: m.at, last: m.at, count: 1, reason: m.reason }));
  if (rows.length <= MISSED_ROWS) return rows;
  const older = rows.slice(0, rows.length - (MISSED_ROWS - 1));
  const first = older[0] as (typeof rows)[number];
  const last = older[older.length - 1] as (typeof rows)[number];
  return [{ at: first.at, last: last.at, count: older.length, reason: last.reason }, ...rows.slice(older.length)];
}

export interface TriggerResult {
  row: ScheduleRow;
  jobId: number;
}

/** Enqueues a run of a schedule now, by hand; recorded as a fire of kind "trigger" and in the audit trail. */
export async function triggerSchedule(db: Db, ref: string, o: { actor: string; now: number; loadJobType: TickDeps["loadJobType"] }): Promise<TriggerResult> {
  const s = await findSchedule(db, ref);
  const def = await o.loadJobType(s.type);
  const payload = parsePayload(def, JSON.parse(s.payload));
  return immediate(db, async (trx) => {
    const row = await findSchedule(trx, String(s.id));
    const stamp = toInstant(o.now);
    const [job] = await insertJobs(trx, [{ type: row.type, payload, runAt: o.now, priority: row.priority, maxAttempts: retryPolicy(def.retry).maxAttempts, scheduleId: row.id }], o.now);
    const jobId = (job as { id: number }).id;
    await trx.insertInto("schedule_fire").values({
      schedule_id: row.id, kind: "trigger", fire_at: stamp, fire_count: 1, last_fire_at: null, recorded_at: stamp,
      late_ms: 0, policy: "manual", reason: null, job_id: jobId, actor: o.actor,
    }).execute();
    const updated = await trx.updateTable("schedule")
      .set((eb) => ({ total_runs: eb("total_runs", "+", 1), last_run_at: stamp, last_job_id: jobId, updated_at: stamp }))
      .where("id", "=", row.id).returningAll().executeTakeFirstOrThrow();
    await trx.insertInto("schedule_audit").values({
      schedule_id: row.id, schedule_name: row.name, action: "trigger", actor: o.actor, at: stamp, changes: JSON.stringify({ jobId }),
    }).execute();
    return { row: updated, jobId };
  });
}
