import { formatInZone } from "../../core/schedule/format.ts";
import { nextRunAt } from "../../core/schedule/json.ts";
import type { ScheduleRow } from "../../core/schedule/schema.ts";

/** "Mon 2026-12-07 02:00 CET", "- (paused)", or "never" when the timing has no fire left. */
export function nextRunText(r: ScheduleRow): string {
  const next = nextRunAt(r);
  if (next !== null) return formatInZone(next, r.tz);
  return r.active === 1 ? "never" : "- (paused)";
}
