import type { ScheduleRow } from "./schema.ts";
import { byDialect } from "../db/dialect.ts";
import { immediate, type Db } from "../db/handle.ts";
import { errorMessage } from "../errors.ts";
import { dedupeKeyOf, parsePayload } from "../jobs/payload.ts";
import type { JobDefinition } from "../jobs/types.ts";
import { retryPolicy } from "../queue/backoff.ts";
import { insertJobs, liveHolders } from "../queue/enqueue.ts";
import { toInstant } from "../time.ts";
import { CANNOT_ENQUEUE } from "./catch-up.ts";
import { timingOf } from "./definition.ts";
import { firesBetween, nextFire } from "./fire-times.ts";
import { pruneFires } from "./history.ts";
import { planFires } from "./misfire.ts";
import { findSchedule, type ScheduleCheck } from "./store.ts";
import * as postgres from "./tick.postgres.ts";
import * as sqlite from "./tick.sqlite.ts";
import type { FireRow, ScheduleTickUpdate } from "./tick.sqlite.ts";

/** Fires older than this are not looked at individually (a machine off for over a year). */
const LOOKBACK_MS = 366 * 86_400_000;
/** Missed fires beyond this many in one tick are recorded as one merged row. */
const MISSED_ROWS = 12;

/** Missed fires that share a reason, oldest first (a tick's groups are in time order too). */
interface MissedGroup {
  fires: readonly number[];
  reason: string;
}

interface Plan {
  s: ScheduleRow;
  tick: ScheduleTick;
  runs: number[];
  missed: MissedGroup[];
  job: JobTemplate | null;
}

export interface TickDeps {
  now: number;
  /** Fire records older than this are pruned by the tick (counters keep the totals). */
  retentionMs?: number | undefined;
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
  const due = await db
    .selectFrom("schedule")
    .selectAll()
    .where("active", "=", 1)
    .where("next_fire_at", "is not", null)
    .where("next_fire_at", "<=", now)
    .orderBy("priority", "desc")
    .orderBy("next_fire_at")
    .orderBy("id")
    .execute();
  const jobs = new JobTemplates(o.loadJobType);
  const templates: Array<JobTemplate | string> = [];
  for (const s of due) templates.push(await jobs.get(s));
  const held = await heldByOtherTypes(db, due, templates);
  const plans: Plan[] = [];
  for (const [i, s] of due.entries()) plans.push(await planOne(s, o, held[i] ?? (templates[i] as JobTemplate | string)));
  if (!o.dryRun) {
    await record(db, plans, o.now);
    if (o.retentionMs !== undefined) await pruneFires(db, toInstant(o.now - o.retentionMs));
  }
  return plans.map((p) => p.tick);
}

/**
 * Why each schedule whose run (or follow-up) would take a dedupe key that a live job of another
 * type holds cannot be enqueued (by index; undefined for the others). A key belongs to one type,
 * so the queue refuses such a job: one schedule must not fail the whole tick, and its runs are
 * recorded as missed with the reason, as for a payload that no longer validates.
 */
async function heldByOtherTypes(db: Db, due: readonly ScheduleRow[], templates: ReadonlyArray<JobTemplate | string>) {
  const wanted = (t: JobTemplate, s: ScheduleRow) => [
    { key: t.dedupeKey, type: s.type },
    { key: t.then?.dedupeKey ?? null, type: t.then?.type ?? "" },
  ];
  const keys = templates.flatMap((t, i) =>
    typeof t === "string" ? [] : wanted(t, due[i] as ScheduleRow).flatMap((w) => (w.key === null ? [] : [w.key])),
  );
  if (keys.length === 0) return [];
  const live = await liveHolders(db, [...new Set(keys)]);
  return templates.map((t, i) => {
    if (typeof t === "string") return undefined;
    for (const w of wanted(t, due[i] as ScheduleRow)) {
      const holder = w.key === null ? undefined : live.get(w.key);
      if (holder !== undefined && holder.type !== w.type)
        return `${CANNOT_ENQUEUE}${w.type}: its dedupe key "${w.key}" is held by job ${holder.id} (${holder.type}); let it finish or cancel it`;
    }
    return undefined;
  });
}

interface JobTemplate {
  payload: unknown;
  maxAttempts: number;
  /** The type's own dedupe key for the payload (one live job per subject), else null. */
  dedupeKey: string | null;
  /** The schedule's run timeout (null: the type's). */
  timeoutMs: number | null;
  /** The follow-up enqueued with each run, waiting for it. */
  then: { type: string; payload: unknown; maxAttempts: number; dedupeKey: string | null } | null;
}

/** The jobs a schedule enqueues, validated: its own type and payload, and its follow-up's. */
async function jobTemplate(s: ScheduleRow, load: TickDeps["loadJobType"]): Promise<JobTemplate> {
  const def = await load(s.type);
  let then: JobTemplate["then"] = null;
  if (s.then_type !== null) {
    const next = await load(s.then_type);
    const payload = parsePayload(next, JSON.parse(s.then_payload ?? "{}"), " (the follow-up)");
    then = { type: next.type, payload, maxAttempts: retryPolicy(next.retry).maxAttempts, dedupeKey: dedupeKeyOf(next, payload, null) };
  }
  const payload = parsePayload(def, JSON.parse(s.payload));
  return {
    payload,
    maxAttempts: retryPolicy(def.retry).maxAttempts,
    dedupeKey: dedupeKeyOf(def, payload, null),
    timeoutMs: s.timeout_ms,
    then,
  };
}

/**
 * Inserts the runs of schedules and each run's follow-up, which waits for its run (the queue's
 * depends_on: it runs only if the run completed). Returns the runs' job ids, in order.
 */
async function insertRuns(trx: Db, runs: Array<{ s: ScheduleRow; job: JobTemplate }>, now: number): Promise<number[]> {
  const ids = (
    await insertJobs(
      trx,
      runs.map(({ s, job }) => ({
        type: s.type,
        payload: job.payload,
        runAt: now,
        priority: s.priority,
        maxAttempts: job.maxAttempts,
        dedupeKey: job.dedupeKey,
        scheduleId: s.id,
        timeoutMs: job.timeoutMs,
      })),
      now,
    )
  ).map((j) => j.id);
  const followUps = runs.flatMap(({ s, job }, i) =>
    job.then
      ? [
          {
            type: job.then.type,
            payload: job.then.payload,
            runAt: now,
            priority: s.priority,
            maxAttempts: job.then.maxAttempts,
            dedupeKey: job.then.dedupeKey,
            scheduleId: s.id,
            dependsOn: ids[i] as number,
          },
        ]
      : [],
  );
  if (followUps.length > 0) await insertJobs(trx, followUps, now);
  return ids;
}

/** Payloads validated once per schedule definition in a tick; an error says why a schedule cannot run. */
class JobTemplates {
  private readonly cache = new Map<string, JobTemplate | string>();
  private readonly load: TickDeps["loadJobType"];
  constructor(load: TickDeps["loadJobType"]) {
    this.load = load;
  }
  async get(s: ScheduleRow): Promise<JobTemplate | string> {
    const key = [s.type, s.payload, s.timeout_ms ?? "", s.then_type ?? "", s.then_payload ?? ""].join("\u0000");
    let t = this.cache.get(key);
    if (t === undefined) {
      try {
        t = await jobTemplate(s, this.load);
      } catch (e) {
        t = `${CANNOT_ENQUEUE}${s.type}: ${errorMessage(e)}`;
      }
      this.cache.set(key, t);
    }
    return t;
  }
}

async function planOne(s: ScheduleRow, o: TickDeps, job: JobTemplate | string): Promise<Plan> {
  const timing = timingOf(s);
  const from = Math.max(Date.parse(s.checked_until), o.now - LOOKBACK_MS);
  const plan = planFires(firesBetween(timing, from, o.now), o.now, { policy: s.misfire, graceMs: s.grace_ms, cap: s.catch_up_cap });
  const next = nextFire(timing, o.now);
  const error = typeof job === "string" ? job : null;
  const runs = error === null ? plan.run : [];
  // The policy misses the older fires; a schedule that cannot be enqueued misses the rest too.
  const missed: MissedGroup[] = [];
  if (plan.reason !== null) missed.push({ fires: plan.missed, reason: plan.reason });
  if (error !== null && plan.run.length > 0) missed.push({ fires: plan.run, reason: error });
  const count = missed.reduce((n, g) => n + g.fires.length, 0);
  const first = missed[0]?.fires[0];
  const lastGroup = missed[missed.length - 1]?.fires;
  const tick: ScheduleTick = {
    id: s.id,
    name: s.name,
    type: s.type,
    tz: s.tz,
    policy: s.misfire,
    runs: runs.map((at) => ({ fireAt: toInstant(at), lateMs: o.now - at, jobId: null })),
    missed:
      first === undefined || lastGroup === undefined
        ? null
        : {
            count,
            firstFireAt: toInstant(first),
            lastFireAt: toInstant(lastGroup[lastGroup.length - 1] as number),
            reasons: missed.map((g) => g.reason),
          },
    error,
    nextFireAt: next === null ? null : toInstant(next),
  };
  return { s, tick, runs, missed, job: typeof job === "string" ? null : job };
}

const CHUNK = 5000;

/** Writes a tick in a few statements: every job, every fire row, every schedule's counters. */
async function record(db: Db, plans: Plan[], now: number): Promise<void> {
  const jobIds = await insertRuns(
    db,
    plans.flatMap((p) => (p.job ? p.runs.map(() => ({ s: p.s, job: p.job as JobTemplate })) : [])),
    now,
  );
  let next = 0;
  const fires: FireRow[] = [];
  const updates: ScheduleTickUpdate[] = [];
  for (const p of plans) {
    const ids = p.runs.map(() => jobIds[next++] as number);
    p.tick.runs.forEach((r, i) => (r.jobId = ids[i] ?? null));
    for (const m of mergeMissed(p.missed))
      fires.push([
        p.s.id,
        "missed",
        toInstant(m.at),
        m.count,
        m.count > 1 ? toInstant(m.last) : null,
        now - m.last,
        p.s.misfire,
        m.reason,
        null,
      ]);
    p.runs.forEach((at, i) => fires.push([p.s.id, "run", toInstant(at), 1, null, now - at, p.s.misfire, null, ids[i]]));
    const lastRun = p.runs.length > 0 ? toInstant(p.runs[p.runs.length - 1] as number) : null;
    updates.push({
      id: p.s.id,
      next: p.tick.nextFireAt,
      runs: p.runs.length,
      missed: p.tick.missed?.count ?? 0,
      last_fire: lastRun,
      last_job: ids[ids.length - 1] ?? null,
    });
  }
  const stamp = toInstant(now);
  const q = byDialect(db, { sqlite, postgres });
  for (let i = 0; i < fires.length; i += CHUNK) await q.insertFires(db, fires.slice(i, i + CHUNK), stamp);
  for (let i = 0; i < updates.length; i += CHUNK) await q.addTickToSchedules(db, updates.slice(i, i + CHUNK), stamp);
}

/**
 * Keeps the latest missed fires as rows of their own and merges the older ones into one row per
 * reason (a catch-up counts the fires of each reason), without an object per fire.
 */
function mergeMissed(groups: readonly MissedGroup[]): Array<{ at: number; last: number; count: number; reason: string }> {
  const total = groups.reduce((n, g) => n + g.fires.length, 0);
  const older = total <= MISSED_ROWS ? 0 : total - (MISSED_ROWS - 1);
  const rows: Array<{ at: number; last: number; count: number; reason: string }> = [];
  let k = 0;
  for (const g of groups) {
    let merged: { at: number; last: number; count: number; reason: string } | null = null;
    for (const at of g.fires) {
      if (k++ >= older) rows.push({ at, last: at, count: 1, reason: g.reason });
      else if (merged === null) rows.push((merged = { at, last: at, count: 1, reason: g.reason }));
      else {
        merged.last = at;
        merged.count++;
      }
    }
  }
  return rows;
}

export interface TriggerResult {
  row: ScheduleRow;
  jobId: number;
}

/** Enqueues a run of a schedule now, by hand; recorded as a fire of kind "trigger" and in the audit trail. */
export async function triggerSchedule(
  db: Db,
  ref: string,
  o: { actor: string; now: number; loadJobType: TickDeps["loadJobType"]; check?: ScheduleCheck },
): Promise<TriggerResult> {
  return immediate(db, async (trx) => {
    // Read and validated under the write lock: an edit in between cannot slip a stale payload in.
    const row = await findSchedule(trx, ref);
    o.check?.(row);
    const job = await jobTemplate(row, o.loadJobType);
    const stamp = toInstant(o.now);
    const jobId = (await insertRuns(trx, [{ s: row, job }], o.now))[0] as number;
    await trx
      .insertInto("schedule_fire")
      .values({
        schedule_id: row.id,
        kind: "trigger",
        fire_at: stamp,
        fire_count: 1,
        last_fire_at: null,
        recorded_at: stamp,
        late_ms: 0,
        policy: "manual",
        reason: null,
        job_id: jobId,
        actor: o.actor,
      })
      .execute();
    const updated = await trx
      .updateTable("schedule")
      .set((eb) => ({ total_runs: eb("total_runs", "+", 1), last_run_at: stamp, last_job_id: jobId, updated_at: stamp }))
      .where("id", "=", row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("schedule_audit")
      .values({
        schedule_id: row.id,
        schedule_name: row.name,
        action: "trigger",
        actor: o.actor,
        at: stamp,
        changes: JSON.stringify({ jobId }),
      })
      .execute();
    return { row: updated, jobId };
  });
}
