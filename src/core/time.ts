import { UsageError } from "./errors.ts";

/** Instants are stored as ISO-8601 UTC strings with milliseconds: sortable as text. */
export type Instant = string;

// toInstant remembers its last answer and fromInstant its last two: a worker's batch formats one
// claim time per job, and parses one enqueue stamp and one start per job, in turn. Formatting or
// parsing one cost about 0.3 µs.
let lastMs = Number.NaN;
let lastIso = "";
const parsedText: [string | undefined, string | undefined] = [undefined, undefined];
const parsedMs = [Number.NaN, Number.NaN];
let older = 0;

export function toInstant(ms: number): Instant {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}

export function fromInstant(iso: Instant): number {
  if (iso === parsedText[0]) return parsedMs[0] as number;
  if (iso === parsedText[1]) return parsedMs[1] as number;
  const ms = Date.parse(iso);
  parsedText[older] = iso;
  parsedMs[older] = ms;
  older ^= 1;
  return ms;
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
type Unit = keyof typeof UNIT_MS;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;

/** The longest duration accepted anywhere (100 years): now plus it is still a date. */
export const MAX_DURATION_MS = 100 * 365 * UNIT_MS.d;

/** Parses `500ms`, `30s`, `10m`, `2h`, `7d`, `1w` and sums such as `1h30m`, up to 100 years. */
export function parseDuration(text: string, what = "duration"): number {
  const s = text.trim();
  let total = 0;
  let end = 0;
  PART.lastIndex = 0;
  for (let m = PART.exec(s); m; m = PART.exec(s)) {
    total += Number(m[1]) * UNIT_MS[m[2] as Unit];
    end = PART.lastIndex;
  }
  if (s.length === 0 || end !== s.length) {
    throw new UsageError(`invalid ${what} "${text}": write it like 500ms, 30s, 10m, 2h or 7d`);
  }
  if (!(total <= MAX_DURATION_MS)) throw new UsageError(`invalid ${what} "${text.slice(0, 40)}": at most 36500d (100 years)`);
  return Math.round(total);
}

/** Short human form: 950ms, 12s, 4m 10s, 3h 5m, 2d 4h. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  let v = Math.abs(Math.round(ms));
  if (v < 1000) return `${sign}${v}ms`;
  if (v < 60_000) return `${sign}${Math.round(v / 100) / 10}s`.replace(/\.0s$/, "s");
  const units: Array<[string, number]> = [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1000],
  ];
  const parts: string[] = [];
  for (const [name, size] of units) {
    if (v >= size) {
      parts.push(`${Math.floor(v / size)}${name}`);
      v %= size;
    }
    if (parts.length === 2) break;
  }
  return sign + parts.join(" ");
}

/**
 * The last instant read: later years no longer sort as text (+010000-01-01). The first is 1970:
 * before it zones keep local mean time (GMT+0:53:28) and the zone rules assume no two offset
 * changes within 12 hours, which holds in tzdata only since 1970.
 */
const LAST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Reads an ISO-8601 instant given as input — on the command line (`--now`, `--run-at`) or in a
 * back-office record — the one way every instant is read: the time, or why it is none. A time of
 * day must name its zone (`Z` or an offset such as `+01:00`): cron's TZ is not the operator's. A
 * date alone is midnight UTC. Impossible dates and times (2026-02-30, 24:00) are refused, never
 * moved to the next day or month as Date.parse moves them.
 */
export function readInstant(text: string): { ok: true; ms: number } | { ok: false; reason: string } {
  const bad = (reason: string) => ({ ok: false as const, reason });
  const m = ISO_INSTANT.exec(text.trim());
  if (!m) return bad("expected an ISO-8601 time such as 2026-11-22T08:00:00Z");
  const [, y, mo, d, h, mi, sec, zone] = m;
  const day = new Date(0);
  day.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  if (day.getUTCFullYear() !== Number(y) || day.getUTCMonth() !== Number(mo) - 1 || day.getUTCDate() !== Number(d)) {
    return bad(`there is no such date as ${y}-${mo}-${d}`);
  }
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || Number(sec ?? 0) > 59))
    return bad(`there is no such time of day as ${h}:${mi}${sec === undefined ? "" : `:${sec}`}`);
  if (h !== undefined && zone === undefined) return bad("give the time zone, e.g. 2026-11-22T08:00:00Z (UTC) or 2026-11-22T09:00:00+01:00");
  const offset = zone && /^[+-]/.test(zone) ? /^[+-](\d{2}):?(\d{2})$/.exec(zone) : null;
  if (offset && (Number(offset[1]) > 23 || Number(offset[2]) > 59)) return bad(`there is no such zone offset as ${zone}`);
  const ms = Date.parse(
    h === undefined
      ? `${y}-${mo}-${d}T00:00:00Z`
      : text
          .trim()
          .replace(" ", "T")
          .replace(/z$/, "Z")
          .replace(/([+-]\d{2})(\d{2})$/, "$1:$2"),
  );
  if (Number.isNaN(ms)) return bad("expected an ISO-8601 time such as 2026-11-22T08:00:00Z");
  if (ms < 0 || ms > LAST_INSTANT) return bad("give a time from 1970-01-01 to 9999-12-31 (UTC)");
  return { ok: true, ms };
}

/** An instant given on the command line (`--now`, `--run-at`), read by `readInstant`; refused as a usage error. */
export function parseInstantOption(text: string, what: string): number {
  const r = readInstant(text);
  if (!r.ok) throw new UsageError(`invalid ${what} "${text.slice(0, 40)}": ${r.reason}`);
  return r.ms;
}

/** "3m ago" / "in 2h" relative to now. */
export function formatRelative(iso: Instant | null | undefined, nowMs: number): string {
  if (!iso) return "-";
  const delta = fromInstant(iso) - nowMs;
  if (Math.abs(delta) < 1000) return "now";
  return delta < 0 ? `${formatDuration(-delta)} ago` : `in ${formatDuration(delta)}`;
}
