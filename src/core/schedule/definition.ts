import { MISFIRE_POLICIES, type MisfirePolicy, type ScheduleRow } from "./schema.ts";
import { UsageError } from "../errors.ts";
import { parseCron, type CronSpec } from "./cron.ts";
import type { Timing } from "./fire-times.ts";
import { simpleFormToCron } from "./simple-form.ts";
import { canonicalZone, zoneRules } from "./zone.ts";

/** How a schedule's timing was given: a cron expression, or the simple form. */
export interface TimingInput {
  cron?: string | undefined;
  at?: string | undefined;
  days?: string | undefined;
  tz?: string | undefined;
}

export interface ResolvedTiming {
  cron: string;
  atTime: string | null;
  atDays: string | null;
  tz: string;
}

/** Validates the timing flags; a bad expression, day name or zone is a UsageError. */
export function resolveTiming(input: TimingInput, defaultTz: string): ResolvedTiming {
  const tz = canonicalZone(input.tz ?? defaultTz);
  if (input.cron !== undefined && (input.at !== undefined || input.days !== undefined)) {
    throw new UsageError("give the timing either as --cron EXPR or as --at HH:MM --days SET, not both");
  }
  if (input.cron !== undefined) {
    parseCron(input.cron);
    return { cron: input.cron.trim().replace(/\s+/g, " "), atTime: null, atDays: null, tz };
  }
  if (input.days !== undefined && input.at === undefined) throw new UsageError("--days needs --at HH:MM");
  if (input.at === undefined) throw new UsageError("give the timing: --cron EXPR, or --at HH:MM [--days daily|weekdays|weekends|mon,wed,...]");
  const days = input.days ?? "daily";
  const cron = simpleFormToCron(input.at, days);
  const [minute, hour] = cron.split(" ");
  return { cron, atTime: `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`, atDays: days.trim().toLowerCase(), tz };
}

const cronCache = new Map<string, CronSpec>();

/** The parsed timing of a stored schedule. */
export function timingOf(s: Pick<ScheduleRow, "cron" | "tz">): Timing {
  let cron = cronCache.get(s.cron);
  if (!cron) {
    cron = parseCron(s.cron);
    cronCache.set(s.cron, cron);
  }
  return { cron, zone: zoneRules(s.tz) };
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export function validateScheduleName(name: string): string {
  if (!NAME.test(name) || /^\d+$/.test(name)) {
    throw new UsageError(`invalid schedule name "${name}": use 1-64 letters, digits, . _ : - (starting with a letter or digit, not only digits)`);
  }
  return name;
}

export function parseMisfire(text: string): MisfirePolicy {
  const p = text.trim().toLowerCase();
  if (!(MISFIRE_POLICIES as readonly string[]).includes(p)) {
    throw new UsageError(`invalid --misfire "${text}": use ${MISFIRE_POLICIES.join(", ")}`);
  }
  return p as MisfirePolicy;
}

/** The timing as people wrote it: `at 22:00 weekdays` or the cron expression. */
export function timingText(s: Pick<ScheduleRow, "cron" | "at_time" | "at_days">): string {
  return s.at_time !== null ? `--at ${s.at_time} --days ${s.at_days ?? "daily"}` : s.cron;
}
