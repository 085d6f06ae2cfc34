import { daysInMonth, matchingDays, type CronSpec } from "./cron.ts";
import type { ZoneRules } from "./zone.ts";

/** When a schedule fires: a cron expression read as wall-clock time in a zone. */
export interface Timing {
  cron: CronSpec;
  zone: ZoneRules;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Segments without a transition are walked in steps of this size. */
const SEGMENT_MS = 64 * DAY;
/** Give up looking for a next fire this far ahead (the 5th Monday of February can be 40 years apart). */
const SEARCH_YEARS = 50;

/**
 * Hourly-or-faster schedules (the hour field matches every hour) keep their real-time
 * interval across DST changes; every other schedule is a fixed-time schedule.
 */
export function isIntervalLike(cron: CronSpec): boolean {
  return cron.hours.length === 24;
}

/**
 * The first fire strictly after `after` (ms), or null when there is none within SEARCH_YEARS.
 *
 * DST policy, the same for every zone:
 * - fixed-time schedules: a wall time skipped by a spring-forward gap fires once, at the first
 *   instant after the gap (02:30 → 03:00); a wall time that occurs twice fires at its first
 *   occurrence only;
 * - hourly-or-faster schedules fire at every instant whose wall time matches: nothing in the
 *   gap, both occurrences of a repeated hour, so the real-time interval is kept.
 *
 * The timeline is walked segment by segment (stretches of constant UTC offset); within a
 * segment, wall time and instants differ by a constant and the search is done on wall fields.
 * When the next matching wall time is far ahead, the walk jumps to two days before it.
 */
export function nextFire(timing: Timing, after: number): number | null {
  const { cron, zone } = timing;
  const fixed = !isIntervalLike(cron);
  const giveUp = after + SEARCH_YEARS * 366 * DAY;
  let offset = zone.offsetAt(after);
  let lowWall = fixed ? repeatedUntil(zone, after) : -Infinity;
  let position = after;
  let startWall = Math.max(lowWall, Math.floor((after + offset) / MINUTE) * MINUTE + MINUTE);
  let found: number | null = null;
  let foundFrom = Infinity;

  for (;;) {
    const next = zone.nextTransition(position, SEGMENT_MS);
    const segmentEnd = next ? next.at : position + SEGMENT_MS;
    // The first matching wall time at or after startWall; reused while it stays ahead of the search.
    if (!(startWall >= foundFrom && found !== null && startWall <= found)) {
      found = nextMatchingWall(cron, startWall);
      foundFrom = startWall;
    }
    if (found === null) return null;
    if (found < segmentEnd + offset) return found - offset;
    if (segmentEnd > giveUp) return null;
    const jump = found - offset - 2 * DAY;
    if (jump > segmentEnd) {
      // No wall time before `found` matches, and a DST change moves wall time by hours, not days.
      position = jump;
      offset = zone.offsetAt(jump);
      lowWall = fixed ? repeatedUntil(zone, jump) : -Infinity;
      startWall = Math.max(lowWall, Math.ceil((jump + offset) / MINUTE) * MINUTE);
      continue;
    }
    if (next) {
      if (fixed && next.after > next.before && matchesIn(cron, next.at + next.before, next.at + next.after)) return next.at;
      lowWall = fixed && next.before > next.after ? next.at + next.before : -Infinity;
      offset = next.after;
    }
    position = segmentEnd;
    startWall = Math.max(lowWall, Math.ceil((segmentEnd + offset) / MINUTE) * MINUTE);
  }
}

/**
 * Just after a fall-back, the wall time up to which times are repeats of the first occurrence
 * (fixed-time schedules skip them); -Infinity otherwise.
 */
function repeatedUntil(zone: ZoneRules, t: number): number {
  const previous = zone.previousTransition(t, 2 * DAY);
  return previous && previous.before > previous.after ? previous.at + previous.before : -Infinity;
}

/** Fires in (after, until], oldest first, at most `limit` of them (the oldest). */
export function firesBetween(timing: Timing, after: number, until: number, limit = Number.MAX_SAFE_INTEGER): number[] {
  const out: number[] = [];
  for (let t = nextFire(timing, after); t !== null && t <= until && out.length < limit; t = nextFire(timing, t)) out.push(t);
  return out;
}

/** The next `count` fires after `after`. */
export function nextFires(timing: Timing, after: number, count: number): number[] {
  const out: number[] = [];
  for (let t = nextFire(timing, after); t !== null && out.length < count; t = nextFire(timing, t)) out.push(t);
  return out;
}

/** Whether some matching wall time lies in [fromWall, toWall). */
function matchesIn(cron: CronSpec, fromWall: number, toWall: number): boolean {
  const w = nextMatchingWall(cron, Math.ceil(fromWall / MINUTE) * MINUTE);
  return w !== null && w < toWall;
}

/**
 * The first wall time (whole minute, as ms of a UTC-based calendar) at or after `startWall`
 * that the expression matches, or null when there is none within SEARCH_YEARS.
 */
export function nextMatchingWall(cron: CronSpec, startWall: number): number | null {
  const d = new Date(startWall);
  let year = d.getUTCFullYear();
  let month = d.getUTCMonth() + 1;
  let day = d.getUTCDate();
  let hour = d.getUTCHours();
  let minute = d.getUTCMinutes();
  const lastYear = year + SEARCH_YEARS;
  const nextMonth = () => {
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
    day = 1;
    hour = 0;
    minute = 0;
  };
  const nextDay = () => {
    day++;
    hour = 0;
    minute = 0;
  };
  while (year <= lastYear) {
    if (cron.monthSet[month] !== 1 || day > daysInMonth(year, month)) {
      nextMonth();
      continue;
    }
    if (matchingDays(cron, year, month)[day] !== 1) {
      nextDay();
      continue;
    }
    const h = cron.nextHour[hour] as number;
    if (h < 0) {
      nextDay();
      continue;
    }
    if (h !== hour) {
      hour = h;
      minute = 0;
    }
    const m = cron.nextMinute[minute] as number;
    if (m < 0) {
      hour++;
      minute = 0;
      continue;
    }
    return Date.UTC(year, month - 1, day, hour, m);
  }
  return null;
}
