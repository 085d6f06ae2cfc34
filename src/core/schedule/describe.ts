import type { CronSpec } from "./cron.ts";
import { isIntervalLike } from "./fire-times.ts";

const DAY = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTH = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const ORDINAL = ["", "first", "second", "third", "fourth", "fifth"];

const pad = (n: number) => String(n).padStart(2, "0");

/** "a, b and c" */
function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** A field's values as ranges: [1,2,3,5] → "1-3, 5". */
function compact(values: readonly number[], name: (n: number) => string = String): string {
  return ranges(values, name).join(", ");
}

/** A field's values as a list of ranges: [1,2,3,5] → ["1-3", "5"]. */
function ranges(values: readonly number[], name: (n: number) => string = String): string[] {
  const parts: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && (values[j + 1] as number) === (values[j] as number) + 1) j++;
    const a = values[i] as number;
    const b = values[j] as number;
    parts.push(j - i >= 2 ? `${name(a)}-${name(b)}` : j > i ? `${name(a)}, ${name(b)}` : name(a));
    i = j + 1;
  }
  return parts;
}

/**
 * Every `step` from 0 up to `max`, and nothing else, with the same step across the wrap? Only
 * a step that divides max + 1 has that: a 45-minute step runs at :00 and :45, then 15 minutes
 * later. Returns the step.
 */
function stepOf(values: readonly number[], max: number): number | null {
  if (values.length < 2 || values[0] !== 0) return null;
  const step = (values[1] as number) - (values[0] as number);
  if ((max + 1) % step !== 0) return null;
  for (let i = 0; i < values.length; i++) if (values[i] !== i * step) return null;
  return (values[values.length - 1] as number) + step > max ? step : null;
}

function timePart(c: CronSpec): string {
  const allMinutes = c.minutes.length === 60;
  if (isIntervalLike(c)) {
    if (allMinutes) return "every minute";
    const step = stepOf(c.minutes, 59);
    if (step !== null) return step === 1 ? "every minute" : `every ${step} minutes`;
    if (c.minutes.length === 1) return c.minutes[0] === 0 ? "every hour, on the hour" : `every hour at minute ${c.minutes[0]}`;
    return `every hour at minutes ${list(ranges(c.minutes))}`;
  }
  const hours = c.hours.length <= 8 ? list(c.hours.map(pad)) : compact(c.hours, pad);
  if (c.minutes.length === 1 && c.hours.length <= 8) return `at ${list(c.hours.map((h) => `${pad(h)}:${pad(c.minutes[0] as number)}`))}`;
  if (allMinutes) return `every minute of hour${c.hours.length === 1 ? "" : "s"} ${hours}`;
  const step = stepOf(c.minutes, 59);
  if (step !== null) return `every ${step} minutes during hour${c.hours.length === 1 ? "" : "s"} ${hours}`;
  return `at minute${c.minutes.length === 1 ? "" : "s"} ${list(ranges(c.minutes))} past hour${c.hours.length === 1 ? "" : "s"} ${hours}`;
}

function weekdayPart(c: CronSpec): string {
  const parts: string[] = [];
  const w = c.weekdays;
  const set = w.join(",");
  if (set === "1,2,3,4,5") parts.push("weekdays (Monday to Friday)");
  else if (set === "0,6") parts.push("weekends");
  else if (w.length === 7) parts.push("every day of the week");
  else if (w.length > 0) parts.push(list([...w].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7)).map((d) => `${DAY[d]}s`)));
  for (const n of c.nthWeekdays) parts.push(`the ${ORDINAL[n.nth]} ${DAY[n.weekday]} of the month`);
  for (const d of c.lastWeekdays) parts.push(`the last ${DAY[d]} of the month`);
  return list(parts);
}

function monthDayPart(c: CronSpec): string {
  const parts: string[] = [];
  if (c.days.length === 31) parts.push("every day");
  else if (c.days.length > 0) {
    const step = c.days.length > 2 ? (c.days[1] as number) - (c.days[0] as number) : 0;
    const stepped =
      step > 1 && c.days.every((d, i) => d === (c.days[0] as number) + i * step) && (c.days[c.days.length - 1] as number) + step > 31;
    parts.push(stepped ? `every ${step} days of the month from day ${c.days[0]}` : `day ${compact(c.days)} of the month`);
  }
  if (c.lastDayOfMonth) parts.push("the last day of the month");
  return list(parts);
}

function dayPart(c: CronSpec): string {
  const domAll = c.days.length === 31 && !c.lastDayOfMonth;
  const dowAll = c.weekdays.length === 7;
  if (c.domStar && c.dowStar) {
    if (domAll && dowAll) return "every day";
    if (domAll) return `on ${weekdayPart(c)}`;
    if (dowAll) return `on ${monthDayPart(c)}`;
    return `on ${monthDayPart(c)}, if it is also one of ${weekdayPart(c)}`;
  }
  if (c.domStar) return domAll ? `on ${weekdayPart(c)}` : `on ${monthDayPart(c)}, if it is also one of ${weekdayPart(c)}`;
  if (c.dowStar) return dowAll ? `on ${monthDayPart(c)}` : `on ${monthDayPart(c)}, if it is also one of ${weekdayPart(c)}`;
  return `on ${monthDayPart(c)} and on ${weekdayPart(c)}`;
}

function monthPart(c: CronSpec): string {
  if (c.months.length === 12) return "";
  return ` in ${compact(c.months, (m) => MONTH[m - 1] as string)}`;
}

/** A cron expression in plain English: "at 02:30 on weekdays (Monday to Friday)". */
export function describeCron(c: CronSpec): string {
  const days = dayPart(c);
  return `${timePart(c)}${days === "every day" && isIntervalLike(c) ? "" : ` ${days}`}${monthPart(c)}`;
}
