import { MISFIRE_POLICIES, type MisfirePolicy, type ScheduleRow } from "./schema.ts";
import { UsageError } from "../errors.ts";
import { parseCron, type CronSpec } from "./cron.ts";
import type { Timing } from "./fire-times.ts";
import { daysField, simpleFormToCron } from "./simple-form.ts";
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
  if (input.at === undefined)
    throw new UsageError("give the timing: --cron EXPR, or --at HH:MM [--days daily|weekdays|weekends|mon,wed,...]");
  const days = input.days ?? "daily";
  const cron = simpleFormToCron(input.at, days);
  const [minute, hour] = cron.split(" ");
  return { cron, atTime: `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`, atDays: days.trim().toLowerCase(), tz };
}

/**
 * A cron expression at another time of day, its day fields kept (`edit --at` alone):
 * "0 9 * * 1-5" at 08:00 is "0 8 * * 1-5". One that runs at several times a day has no one
 * time to move: refused.
 */
export function cronAtTime(cron: string, at: string): string {
  const spec = parseCron(cron);
  if (spec.minutes.length !== 1 || spec.hours.length !== 1) {
    throw new UsageError(
      `--at alone keeps the days of cron "${cron}" only when it runs once a day: give --cron EXPR, or --at HH:MM with --days SET`,
    );
  }
  const [minute, hour] = simpleFormToCron(at, "daily").split(" ");
  return [minute, hour, ...spec.source.split(" ").slice(2)].join(" ");
}

/**
 * A cron expression on other days of the week, its time and month kept (`edit --days` alone):
 * "30 2 * * *" on mon-fri is "30 2 * * 1-5". The days replace the day-of-week field, so the
 * day-of-month must be `*`: with a restricted day-of-month ("0 9 1 * *", "0 9 1-7 * *") cron
 * would run on either day, or only on those of both, not on the days given: refused.
 */
export function cronOnDays(cron: string, days: string): string {
  const dow = daysField(days);
  const [minute, hour, dom, month] = parseCron(cron).source.split(" ") as [string, string, string, string, string];
  if (dom !== "*" && dom !== "?") {
    throw new UsageError(
      `--days alone keeps the time of cron "${cron}" only when it runs on any day of the month (day-of-month *): give --cron EXPR, or --at HH:MM with --days SET`,
    );
  }
  const edited = [minute, hour, "*", month, dow].join(" ");
  parseCron(edited);
  return edited;
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

const MAX_NAME = 64;

/**
 * The command-line form of a schedule name: lower case ASCII letters and digits joined by
 * dashes ("Nattlig sökning – Logistikföretag Stockholm" → "nattlig-sokning-logistikforetag-stockholm").
 */
export function scheduleSlug(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/ß/g, "ss")
    .replace(/[æÆ]/g, "ae")
    .replace(/[øØ]/g, "o")
    .replace(/[łŁ]/g, "l")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * Any printable Unicode name of 1-64 characters with a slug, which keeps Latin letters and digits
 * only, that is not empty and not only digits (those are ids).
 */
export function validateScheduleName(name: string): string {
  const problem = nameProblem(name);
  if (problem !== null) throw new UsageError(`invalid schedule name ${JSON.stringify(name)}: use ${problem}`);
  return name;
}

function nameProblem(name: string): string | null {
  const rule = `(any printable text of 1-${MAX_NAME} characters with a Latin letter or a digit, not only digits)`;
  if (name.trim() !== name) return `no spaces at the start or end ${rule}`;
  if ([...name].length < 1 || [...name].length > MAX_NAME) return `1-${MAX_NAME} characters ${rule}`;
  if (/[\p{C}\p{Zl}\p{Zp}]/u.test(name)) return `printable characters only ${rule}`;
  const slug = scheduleSlug(name);
  if (slug === "") {
    return "at least one Latin letter or digit (a-z, 0-9, accented letters too): the command line takes a schedule by its slug, made of those";
  }
  if (/^\d+$/.test(slug)) return `not only digits (those are ids) ${rule}`;
  return null;
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
