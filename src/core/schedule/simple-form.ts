import { UsageError } from "../errors.ts";

/** `--days` presets of the simple form. */
export const DAY_SETS = { daily: "*", weekdays: "1-5", weekends: "0,6" } as const;

/** English and Swedish day names (full or abbreviated) → 0 = Sunday ... 6 = Saturday. */
const DAY_ALIASES: Record<string, number> = {
  sun: 0,
  sunday: 0,
  sön: 0,
  söndag: 0,
  mon: 1,
  monday: 1,
  mån: 1,
  måndag: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  tis: 2,
  tisdag: 2,
  wed: 3,
  wednesday: 3,
  ons: 3,
  onsdag: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  tor: 4,
  torsdag: 4,
  fri: 5,
  friday: 5,
  fre: 5,
  fredag: 5,
  sat: 6,
  saturday: 6,
  lör: 6,
  lördag: 6,
};

/**
 * The simple form operators use (`--at 22:00 --days weekdays`) as the equivalent cron
 * expression (`0 22 * * 1-5`). `days` is daily, weekdays, weekends or a list of day names.
 */
export function simpleFormToCron(at: string, days: string): string {
  const time = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(at.trim());
  if (!time) throw new UsageError(`invalid --at "${at}": expected a time HH:MM from 00:00 to 23:59`);
  return `${Number(time[2])} ${Number(time[1])} * * ${daysField(days)}`;
}

function daysField(days: string): string {
  const key = days.trim().toLowerCase();
  if (Object.hasOwn(DAY_SETS, key)) return DAY_SETS[key as keyof typeof DAY_SETS];
  const names = key.split(",").map((d) => d.trim());
  if (names.length === 0 || names.some((n) => n === "")) throw new UsageError(`invalid --days "${days}": an empty day name`);
  const numbers = new Set<number>();
  for (const n of names) {
    const d = DAY_ALIASES[n];
    if (d === undefined) {
      throw new UsageError(`invalid --days "${days}": unknown day name "${n}" (use daily, weekdays, weekends or days such as mon,wed,fri)`);
    }
    numbers.add(d);
  }
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted.length === 7 ? "*" : sorted.join(",");
}
