// How a catch-up reads, for `schedule history` and the schedules section of `status` (no database
// code: the light `status` path renders it too).
import { clockInZone, formatInZone } from "../../core/schedule/format.ts";
import type { CatchUp } from "../../core/schedule/catch-up.ts";

/**
 * "missed 3 runs while `leadjobs enqueue` was not running (machine off?), ran once at Thu 08:02 (coalesce)";
 * with `span`, also which fires were missed.
 */
export function catchUpSentence(c: CatchUp, tz: string, span = true): string {
  const at = (iso: string) => formatInZone(iso, tz);
  const when = `${at(c.recordedAt).split(" ")[0]} ${clockInZone(c.recordedAt, tz)}`;
  const ran = c.ran === 0 ? "ran nothing" : c.ran === 1 ? `ran once at ${when}` : `ran ${c.ran} times at ${when}`;
  const which = !span ? "" : c.missed === 1 ? ` (${at(c.firstMissedAt)})` : ` (${at(c.firstMissedAt)} … ${at(c.lastMissedAt)})`;
  return `missed ${c.missed} run${c.missed === 1 ? "" : "s"}${which}${whyMissed(c)}, ${ran} (${c.policy})`;
}

/** Late fires were missed because no tick ran; failed ones because their job could not be enqueued. */
function whyMissed(c: CatchUp): string {
  const late = " while `leadjobs enqueue` was not running (machine off?)";
  const failed = ` that could not be enqueued (${c.error})`;
  if (c.failed === 0) return late;
  if (c.failed === c.missed) return failed;
  return `: ${c.missed - c.failed}${late}, ${c.failed}${failed}`;
}
