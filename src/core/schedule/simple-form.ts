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

/** The day-of-week field of `--days` (`weekdays` → "1-5", `mon-wed,fri` → "1-3,5"); a bad day name is a UsageError. */
export function daysField(days: string): string {
  const key = days.trim().toLowerCase();
  if (Object.hasOwn(DAY_SETS, key)) return DAY_SETS[key as keyof typeof DAY_SETS];
  const items = key.split(",").map((d) => d.trim());
  if (items.some((n) => n === "")) throw new UsageError(`invalid --days "${days}": an empty day name`);
  const numbers = new Set<number>();
  for (const item of items) {
    const [from, to, ...rest] = item.split("-").map((n) => n.trim());
    if (rest.length > 0) throw new UsageError(`invalid --days "${days}": "${item}" is not a day or a range of days such as mon-fri`);
    const first = dayNumber(days, from as string);
    // A range may wrap past Sunday: fri-mon is Friday to Monday.
    const last = to === undefined ? first : dayNumber(days, to);
    for (let d = first; ; d = (d + 1) % 7) {
      numbers.add(d);
      if (d === last) break;
    }
  }
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted.length === 7 ? "*" : compact(sorted);
}

/** Sorted day numbers as a cron list, three or more in a row as a range: [1,2,3,4,5] → "1-5", [0,1,3] → "0,1,3". */
function compact(sorted: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    parts.push(j - i >= 2 ? `${sorted[i]}-${sorted[j]}` : sorted.slice(i, j + 1).join(","));
    i = j + 1;
  }
  return parts.join(",");
}

function dayNumber(days: string, name: string): number {
  const d = Object.hasOwn(DAY_ALIASES, name) ? DAY_ALIASES[name] : undefined;
  if (d === undefined) {
    throw new UsageError(
      `invalid --days "${days}": unknown day name "${name}" (use daily, weekdays, weekends or days such as mon,wed,fri or mon-fri)`,
    );
  }
  return d;
}
