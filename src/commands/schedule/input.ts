import type { Config } from "../../core/config.ts";
import type { ScheduleRow } from "../../core/schedule/schema.ts";
import { UsageError } from "../../core/errors.ts";
import { loadJobType } from "../../job-types.ts";
import { checkReferences, parsePayload } from "../../core/jobs/payload.ts";
import type { ReferenceContext } from "../../core/jobs/types.ts";
import {
  cronAtTime,
  cronOnDays,
  parseMisfire,
  resolveTiming,
  validateScheduleName,
  type TimingInput,
} from "../../core/schedule/definition.ts";
import { followUpOf, type FollowUp, type ScheduleDefinition } from "../../core/schedule/store.ts";
import { actorFrom } from "../shared/actor.ts";
import { durationOption, intOption, jsonOption } from "../shared/options.ts";

/** Flags of `schedule add` and `schedule edit`. */
export interface ScheduleFlags {
  name?: string;
  type?: string;
  payload?: string;
  cron?: string;
  at?: string;
  days?: string;
  tz?: string;
  misfire?: string;
  grace?: string;
  cap?: string;
  priority?: string;
  timeout?: string;
  then?: string;
  thenPayload?: string;
  owner?: string;
  paused?: boolean;
  as?: string;
  now?: string;
  json?: boolean;
}

function commonFlags(f: ScheduleFlags) {
  return {
    misfire: f.misfire === undefined ? undefined : parseMisfire(f.misfire),
    graceMs: durationOption(f.grace, "--grace"),
    cap: intOption(f.cap, "--cap", 1, 100_000),
    priority: intOption(f.priority, "--priority", -1_000_000, 1_000_000),
    timeoutMs: timeoutFlag(f.timeout),
  };
}

/** `--timeout`: a run timeout for the schedule's jobs; "none" (edit) goes back to the type's. */
function timeoutFlag(value: string | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  if (value.trim().toLowerCase() === "none") return null;
  const ms = durationOption(value, "--timeout") as number;
  if (ms === 0) throw new UsageError(`invalid --timeout "${value}": a run needs some time; give more than 0`);
  return ms;
}

/**
 * `--then TYPE [--then-payload JSON]`: the follow-up job of each run, validated like the run's
 * own; "none" (edit) removes it.
 */
async function followUpFlags(
  then: string | undefined,
  payload: string | undefined,
  current: FollowUp | null,
): Promise<FollowUp | null | undefined> {
  if (then === undefined && payload === undefined) return undefined;
  if (then?.trim().toLowerCase() === "none") {
    if (payload !== undefined) throw new UsageError("--then-payload goes with --then TYPE, not --then none");
    return null;
  }
  const type = then ?? current?.type;
  if (type === undefined) throw new UsageError("--then-payload needs --then TYPE (the follow-up job type)");
  const def = await loadJobType(type);
  const raw = payload !== undefined ? jsonOption(payload, "--then-payload") : then === undefined ? current?.payload : {};
  return { type: def.type, payload: parsePayload(def, raw ?? {}, " (--then-payload)") };
}

/** Validates every flag of `schedule add` (exit 2 on the first problem, before anything is written). */
export async function definitionFromFlags(f: ScheduleFlags, config: Config): Promise<ScheduleDefinition> {
  const name = validateScheduleName(f.name ?? "");
  const type = f.type ?? "";
  const def = await loadJobType(type);
  const payload = parsePayload(def, jsonOption(f.payload ?? "{}", "--payload"));
  const timing = resolveTiming(timingFlags(f), config.scheduleTimezone);
  const c = commonFlags(f);
  if (c.timeoutMs === null) throw new UsageError(`invalid --timeout "${f.timeout}": expected a duration such as 30m`);
  const then = await followUpFlags(f.then, f.thenPayload, null);
  const owner = actorFrom(f.as);
  return {
    name,
    type,
    payload,
    owner,
    active: !f.paused,
    ...timing,
    misfire: c.misfire ?? "coalesce",
    graceMs: c.graceMs ?? config.misfireGrace,
    cap: c.cap ?? config.misfireCap,
    priority: c.priority ?? 0,
    timeoutMs: c.timeoutMs ?? null,
    then: then ?? null,
  };
}

/** The changes `schedule edit` asks for, validated against the current schedule. */
export async function patchFromFlags(f: ScheduleFlags, current: ScheduleRow): Promise<Partial<ScheduleDefinition>> {
  const patch: Partial<ScheduleDefinition> = {};
  if (f.name !== undefined) patch.name = validateScheduleName(f.name);
  if (f.owner !== undefined) patch.owner = actorFrom(f.owner);
  if (f.type !== undefined || f.payload !== undefined) {
    const type = f.type ?? current.type;
    const def = await loadJobType(type);
    const raw = f.payload !== undefined ? jsonOption(f.payload, "--payload") : JSON.parse(current.payload);
    patch.type = type;
    patch.payload = parsePayload(def, raw, f.payload === undefined ? " (the current payload; give --payload too)" : "");
  }
  if (f.cron !== undefined || f.at !== undefined || f.days !== undefined || f.tz !== undefined) {
    Object.assign(patch, resolveTiming({ ...editedTiming(f, current), tz: f.tz ?? current.tz }, current.tz));
  }
  const c = commonFlags(f);
  if (c.misfire !== undefined) patch.misfire = c.misfire;
  if (c.graceMs !== undefined) patch.graceMs = c.graceMs;
  if (c.cap !== undefined) patch.cap = c.cap;
  if (c.priority !== undefined) patch.priority = c.priority;
  if (c.timeoutMs !== undefined) patch.timeoutMs = c.timeoutMs;
  const then = await followUpFlags(f.then, f.thenPayload, followUpOf(current));
  if (then !== undefined) patch.then = then;
  return patch;
}

/**
 * The timing `edit` asks for, keeping what was not given: --days alone keeps the time, --at
 * alone the days; on a cron schedule they change its day-of-week or its minute and hour, and
 * both together replace the expression with the simple form.
 */
function editedTiming(f: ScheduleFlags, current: ScheduleRow): TimingInput {
  if (f.cron !== undefined) return timingFlags(f);
  if (current.at_time !== null) return { at: f.at ?? current.at_time, days: f.days ?? current.at_days ?? "daily" };
  if (f.at !== undefined && f.days !== undefined) return { at: f.at, days: f.days };
  if (f.days !== undefined) return { cron: cronOnDays(current.cron, f.days) };
  return { cron: f.at === undefined ? current.cron : cronAtTime(current.cron, f.at) };
}

function timingFlags(f: ScheduleFlags): TimingInput {
  return { cron: f.cron, at: f.at, days: f.days, tz: f.tz };
}

/** The references of a schedule's payload and its follow-up's must exist (a terminal, brand, provider, model). */
export async function checkScheduleReferences(
  d: Pick<ScheduleDefinition, "type" | "payload" | "then">,
  ctx: ReferenceContext,
): Promise<void> {
  await checkReferences(await loadJobType(d.type), d.payload, ctx);
  if (d.then) await checkReferences(await loadJobType(d.then.type), d.then.payload, ctx, " (--then-payload)");
}
