import { UsageError } from "../errors.ts";

/**
 * A parsed 5-field cron expression (minute hour day-of-month month day-of-week), Vixie
 * semantics: lists, ranges, steps, month and day names, `L` (last day of the month) in
 * day-of-month, `nL` (last weekday n of the month) and `n#k` (k-th weekday n) in day-of-week.
 * When both day fields are restricted a day matches if either does; when either starts with
 * `*` both must match (so `*` means "every day" and `*\/2` is a plain filter), as in Vixie cron.
 */
export interface CronSpec {
  /** The expression as written (macros expanded). */
  readonly source: string;
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  /** Days 1-31 given as numbers. */
  readonly days: readonly number[];
  /** `L` in day-of-month: the last day of the month. */
  readonly lastDayOfMonth: boolean;
  readonly months: readonly number[];
  /** Plain weekdays, 0 = Sunday. */
  readonly weekdays: readonly number[];
  /** `n#k`: the k-th weekday n of the month. */
  readonly nthWeekdays: ReadonlyArray<{ weekday: number; nth: number }>;
  /** `nL`: the last weekday n of the month. */
  readonly lastWeekdays: readonly number[];
  /** The field starts with `*` (or is `?`): Vixie treats it as unrestricted when combining the day fields. */
  readonly domStar: boolean;
  readonly dowStar: boolean;
  /** Lookup tables: next[x] is the smallest value >= x in the field, or -1. */
  readonly nextMinute: Int8Array;
  readonly nextHour: Int8Array;
  readonly monthSet: Uint8Array;
  readonly daySet: Uint8Array;
  readonly weekdaySet: Uint8Array;
}

export const MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] as const;
export const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

interface FieldDef {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Value of the first name (months start at 1). */
  nameBase?: number;
}

const FIELDS: readonly FieldDef[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTH_NAMES, nameBase: 1 },
  { name: "day-of-week", min: 0, max: 7, names: DAY_NAMES, nameBase: 0 },
];

/** Thrown for an invalid expression; the message names the field and says why. */
class FieldError extends Error {}

/** Parses a cron expression; a bad one is a UsageError naming the field and the reason. */
export function parseCron(expression: string): CronSpec {
  const trimmed = expression.trim().replace(/\s+/g, " ");
  const lower = trimmed.toLowerCase();
  if (lower === "@reboot") throw invalid(expression, "@reboot is not a schedule (put it in your crontab instead)");
  const text = lower.startsWith("@") ? MACROS[lower] : trimmed;
  if (text === undefined) throw invalid(expression, `unknown macro ${trimmed} (known: ${Object.keys(MACROS).join(", ")})`);
  const parts = text === "" ? [] : text.split(" ");
  if (parts.length !== 5) {
    throw invalid(expression, `expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`);
  }
  const [minF, hourF, domF, monF, dowF] = parts as [string, string, string, string, string];
  const field = <T>(index: number, raw: string, fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof FieldError) throw invalid(expression, `${(FIELDS[index] as FieldDef).name} field "${raw}": ${e.message}`);
      throw e;
    }
  };
  const minutes = field(0, minF, () => plainField(minF, FIELDS[0] as FieldDef));
  const hours = field(1, hourF, () => plainField(hourF, FIELDS[1] as FieldDef));
  const dom = field(2, domF, () => dayOfMonthField(domF));
  const months = field(3, monF, () => plainField(monF, FIELDS[3] as FieldDef));
  const dow = field(4, dowF, () => dayOfWeekField(dowF));

  const spec: CronSpec = {
    source: text,
    minutes,
    hours,
    days: dom.days,
    lastDayOfMonth: dom.last,
    months,
    weekdays: dow.weekdays,
    nthWeekdays: dow.nth,
    lastWeekdays: dow.last,
    domStar: domF.startsWith("*") || domF === "?",
    dowStar: dowF.startsWith("*") || dowF === "?",
    nextMinute: nextTable(minutes, 60),
    nextHour: nextTable(hours, 24),
    monthSet: setTable(months, 13),
    daySet: setTable(dom.days, 32),
    weekdaySet: setTable(dow.weekdays, 7),
  };
  const why = neverFires(spec);
  if (why) throw invalid(expression, why);
  return spec;
}

function invalid(expression: string, why: string): UsageError {
  return new UsageError(`invalid cron expression "${expression.trim()}": ${why}`);
}

function plainField(raw: string, def: FieldDef): number[] {
  const values = new Set<number>();
  for (const item of items(raw)) for (const v of rangeItem(item, def)) values.add(v);
  return [...values].sort((a, b) => a - b);
}

function items(raw: string): string[] {
  const list = raw.split(",");
  if (list.some((i) => i === "")) throw new FieldError("empty list item");
  return list;
}

/** `*`, `*\/s`, `a`, `a-b`, `a-b/s`, `a/s` (a through the maximum). */
function rangeItem(item: string, def: FieldDef): number[] {
  const [base, stepText, extra] = item.split("/");
  if (extra !== undefined) throw new FieldError("more than one /");
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText)) throw new FieldError(`step "${stepText}" is not a whole number`);
    step = Number(stepText);
    const span = def.max - def.min + 1;
    if (step < 1 || step > span) throw new FieldError(`step ${step} must be from 1 to ${span}`);
  }
  let lo: number;
  let hi: number;
  if (base === "*" || (base === "?" && def.name.startsWith("day"))) {
    lo = def.min;
    hi = def.name === "day-of-week" ? 6 : def.max;
  } else {
    const [a, b, more] = (base as string).split("-");
    if (more !== undefined) throw new FieldError(`"${base}" is not a range (use a-b)`);
    lo = value(a as string, def);
    hi = b === undefined ? (stepText !== undefined ? (def.name === "day-of-week" ? 6 : def.max) : lo) : value(b, def);
    if (def.name === "day-of-week" && hi === 0 && lo > 0) hi = 7; // mon-sun, sat-sun
    if (hi < lo) throw new FieldError(`range ${a}-${b} goes backwards`);
  }
  const out: number[] = [];
  for (let v = lo; v <= hi; v += step) out.push(def.name === "day-of-week" && v === 7 ? 0 : v);
  return out;
}

function value(text: string, def: FieldDef): number {
  if (text === "") throw new FieldError("missing a number");
  let n: number;
  if (/^\d+$/.test(text)) n = Number(text);
  else if (def.names) {
    const i = def.names.indexOf(text.toLowerCase() as never);
    if (i < 0) {
      const kind = def.name === "month" ? "month" : "day";
      throw new FieldError(`unknown ${kind} name "${text}" (use ${def.names.join(", ")} or numbers)`);
    }
    n = i + (def.nameBase ?? 0);
  } else throw new FieldError(`"${text}" is not a number`);
  if (n < def.min || n > def.max) throw new FieldError(`${n} is out of range ${def.min}-${def.max}`);
  return n;
}

function dayOfMonthField(raw: string): { days: number[]; last: boolean } {
  const def = FIELDS[2] as FieldDef;
  let last = false;
  const days = new Set<number>();
  for (const item of items(raw)) {
    const upper = item.toUpperCase();
    if (upper === "L") {
      last = true;
      continue;
    }
    if (/W/.test(upper)) throw new FieldError("W (nearest weekday) is not supported");
    if (/L/.test(upper)) throw new FieldError("L stands alone in day-of-month (the last day of the month)");
    if (item.includes("#")) throw new FieldError("# belongs in day-of-week (e.g. 1#2 for the second Monday)");
    for (const v of rangeItem(item, def)) days.add(v);
  }
  return { days: [...days].sort((a, b) => a - b), last };
}

function dayOfWeekField(raw: string): { weekdays: number[]; nth: Array<{ weekday: number; nth: number }>; last: number[] } {
  const def = FIELDS[4] as FieldDef;
  const weekdays = new Set<number>();
  const nth: Array<{ weekday: number; nth: number }> = [];
  const last = new Set<number>();
  for (const item of items(raw)) {
    if (item.includes("#")) {
      const [d, k, more] = item.split("#");
      if (more !== undefined || !d || !k) throw new FieldError(`"${item}" is not weekday#n (e.g. 1#2 for the second Monday)`);
      if (/[-/*,]/.test(d)) throw new FieldError(`# takes a single weekday, not "${d}"`);
      if (!/^[1-5]$/.test(k)) throw new FieldError(`#${k}: the week of the month must be 1 to 5`);
      nth.push({ weekday: value(d, def) % 7, nth: Number(k) });
      continue;
    }
    if (/l$/i.test(item) && item.length > 1) {
      const d = item.slice(0, -1);
      if (/[-/*,]/.test(d)) throw new FieldError(`L takes a single weekday, not "${d}"`);
      last.add(value(d, def) % 7);
      continue;
    }
    if (item.toUpperCase() === "L") throw new FieldError("L alone is ambiguous in day-of-week; write 5L for the last Friday");
    for (const v of rangeItem(item, def)) weekdays.add(v);
  }
  return { weekdays: [...weekdays].sort((a, b) => a - b), nth, last: [...last].sort((a, b) => a - b) };
}

function nextTable(values: readonly number[], size: number): Int8Array {
  const t = new Int8Array(size + 1).fill(-1);
  for (let x = size - 1, next = -1; x >= 0; x--) {
    if (values.includes(x)) next = x;
    t[x] = next;
  }
  return t;
}

function setTable(values: readonly number[], size: number): Uint8Array {
  const t = new Uint8Array(size);
  for (const v of values) t[v] = 1;
  return t;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return MONTH_DAYS[month - 1] as number;
}

const monthCache = new WeakMap<CronSpec, Map<number, Uint8Array>>();

/** The days of a month (1-31) the day fields match, as a lookup table; cached per expression. */
export function matchingDays(spec: CronSpec, year: number, month: number): Uint8Array {
  let byMonth = monthCache.get(spec);
  if (!byMonth) monthCache.set(spec, (byMonth = new Map()));
  const key = year * 12 + month;
  let days = byMonth.get(key);
  if (!days) {
    days = new Uint8Array(32);
    for (let d = 1, dim = daysInMonth(year, month); d <= dim; d++) days[d] = dayMatches(spec, year, month, d) ? 1 : 0;
    if (byMonth.size > 600) byMonth.clear();
    byMonth.set(key, days);
  }
  return days;
}

/** Whether the day fields match a calendar date (month 1-12). */
export function dayMatches(spec: CronSpec, year: number, month: number, day: number): boolean {
  const dim = daysInMonth(year, month);
  const dom = spec.daySet[day] === 1 || (spec.lastDayOfMonth && day === dim);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  let dow = spec.weekdaySet[weekday] === 1;
  if (!dow) for (const n of spec.nthWeekdays) if (n.weekday === weekday && Math.ceil(day / 7) === n.nth) dow = true;
  if (!dow) for (const w of spec.lastWeekdays) if (w === weekday && day + 7 > dim) dow = true;
  return spec.domStar || spec.dowStar ? dom && dow : dom || dow;
}

/** A reason when no date in a 28-year cycle (all weekday/leap-year combinations) matches. */
function neverFires(spec: CronSpec): string | null {
  for (let year = 2024; year < 2052; year++) {
    for (const month of spec.months) {
      for (let day = 1, dim = daysInMonth(year, month); day <= dim; day++) if (dayMatches(spec, year, month, day)) return null;
    }
  }
  return "it never fires (no date matches both the day and the month fields)";
}
